"""License pages through the real routes: add from the catalog, adjust, custom, edit, delete."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.activities.models import Activity
from app.audit import AuditEvent
from app.licenses.catalog import load_catalog
from app.licenses.models import License, LicenseCycle
from tests.licenses.helpers import add_activity, add_license, form_fields

NEXT_YEAR = date.today().year + 1


def new_license_form(client, rule_set: str) -> dict[str, str]:
    page = client.get(f"/licenses/new?rule_set={rule_set}")
    assert page.status_code == 200
    return form_fields(page.get_data(as_text=True), "/licenses/new")


def licenses_of(dbs, user_id):
    return dbs.scalars(select(License).where(License.user_id == user_id)).all()


def test_the_picker_lists_catalog_rule_sets_grouped_by_state_and_a_custom_choice(user_client):
    page = user_client.get("/licenses/new").get_data(as_text=True)
    assert '<optgroup label="Texas">' in page and '<optgroup label="New York">' in page
    assert 'value="tx-lpc"' in page and 'value="ny-lmhc"' in page
    assert 'value="custom"' in page
    assert "Choose the license above" in page  # no form until a rule set is chosen


def test_adding_a_texas_lpc_from_the_catalog_keeps_the_catalog_rules(user_client, dbs):
    fields = new_license_form(user_client, "tx-lpc")
    assert fields["profession"] == "Licensed Professional Counselor" and fields["credential"] == "LPC"
    assert fields["issuing_body"] == "Texas" and fields["total_hours"] == "24"
    fields.update(license_number="12345", cycle_start=f"{NEXT_YEAR - 2}-03-01",
                  renewal_deadline=f"{NEXT_YEAR}-02-28")
    response = user_client.post("/licenses/new", data=fields)
    assert response.status_code == 303
    [license] = licenses_of(dbs, user_client.user.id)
    assert response.headers["Location"] == f"/licenses/{license.id}"
    assert license.rule_set_slug == "tx-lpc" and license.license_number == "12345"
    assert license.rules == load_catalog().get("tx-lpc").to_dict()  # nothing adjusted
    [cycle] = license.cycles
    assert (cycle.cycle_start, cycle.renewal_deadline) == (date(NEXT_YEAR - 2, 3, 1), date(NEXT_YEAR, 2, 28))
    assert cycle.is_open and cycle.cycle_number == 1
    events = dbs.scalars(select(AuditEvent).where(AuditEvent.action == "license_added")).all()
    assert [e.subject for e in events] == [f"license:{license.id}"]
    page = user_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "License added." in page and "Licensed Professional Counselor (LPC)" in page


def test_a_blank_cycle_start_is_one_cycle_back_from_the_deadline(user_client, dbs):
    fields = new_license_form(user_client, "ny-lmhc")
    fields.update(issuing_body="New York", cycle_start="", renewal_deadline=f"{NEXT_YEAR}-06-30")
    assert user_client.post("/licenses/new", data=fields).status_code == 303
    [license] = licenses_of(dbs, user_client.user.id)
    assert license.cycles[0].cycle_start == date(NEXT_YEAR - 3, 7, 1)  # NY LMHC: three-year cycles


def test_changing_a_catalog_figure_stores_an_adjusted_rule_set(user_client, dbs):
    fields = new_license_form(user_client, "tx-lpc")
    ethics_row = next(name[:-4] for name, value in fields.items() if value == "ethics" and name.endswith("-key"))
    fields.update({"renewal_deadline": f"{NEXT_YEAR}-01-31", "total_hours": "30", f"{ethics_row}-hours": "4"})
    assert user_client.post("/licenses/new", data=fields).status_code == 303
    [license] = licenses_of(dbs, user_client.user.id)
    assert license.rule_set_slug == "tx-lpc"
    assert license.rules["origin"] == "adjusted" and license.rules["based_on"] == "tx-lpc"
    assert license.rules["total_hours"] == "30"
    ethics = next(t for t in license.rules["topics"] if t["key"] == "ethics")
    assert ethics["hours"] == "4" and ethics["interpretation"] == "Set by you."
    page = user_client.get(f"/licenses/{license.id}").get_data(as_text=True)
    assert "with figures you changed" in page and "Set by you." in page


def test_a_custom_rule_set_for_a_license_the_catalog_lacks(user_client, dbs):
    fields = new_license_form(user_client, "custom")
    fields.update(profession="Certified Addiction Counselor", credential="CAC", issuing_body="Ohio",
                  field_of_practice="counselor", total_hours="40", cycle_years="2", self_study_cap="10",
                  cycle_start=f"{NEXT_YEAR - 2}-01-01", renewal_deadline=f"{NEXT_YEAR}-01-01",
                  **{"topics-0-topic": "ethics", "topics-0-hours": "3"})
    response = user_client.post("/licenses/new", data=fields)
    assert response.status_code == 303, response.get_data(as_text=True)
    [license] = licenses_of(dbs, user_client.user.id)
    assert license.rule_set_slug is None
    rules = license.rules
    assert rules["origin"] == "custom" and rules["state"] == "OH" and rules["total_hours"] == "40"
    assert [(t["key"], t["hours"]) for t in rules["topics"]] == [("ethics", "3")]
    assert rules["format_caps"][0]["max_hours"] == "10"
    page = user_client.get(f"/licenses/{license.id}").get_data(as_text=True)
    assert "Rules you entered yourself." in page and "At most 10 h" in page


def test_the_license_page_shows_sources_date_checked_and_verify_with_your_board(user_client, dbs):
    license = add_license(dbs, user_client.user.id, "tx-lpc")
    page = user_client.get(f"/licenses/{license.id}").get_data(as_text=True)
    rule_set = load_catalog().get("tx-lpc")
    assert "Verify with your board." in page
    assert "These rules were last checked on Dec 4, 2026." in page
    assert "https://bhec.texas.gov/human-trafficking-awareness-faq/" in page
    assert "Sources" in page and "Confidence of the research: medium." in page
    # TX LPC: the research did not find how the deadline is set, nor a first-renewal rule.
    assert rule_set.cycle.certainty.value == "not_found"
    assert page.count("Not found:</strong>") >= 2
    assert "Research: “biennial expiration date (basis not confirmed for LPC)”" in page


def test_facts_the_research_marks_conflicting_are_shown_as_such(user_client, dbs):
    conflicting = [rs for rs in load_catalog().all() if "'conflicting'" in repr(rs.to_dict())
                   or '"conflicting"' in str(rs.to_dict())]
    assert conflicting, "the catalog has conflicting facts (CA psychologist at least)"
    license = add_license(dbs, user_client.user.id, conflicting[0].slug, issuing_body="California")
    page = user_client.get(f"/licenses/{license.id}").get_data(as_text=True)
    assert "Sources conflict:</strong>" in page and "verify with your board" in page


def test_editing_a_license_changes_its_details_and_current_cycle(user_client, dbs):
    license = add_license(dbs, user_client.user.id, "tx-lpc")
    fields = form_fields(user_client.get(f"/licenses/{license.id}/edit").get_data(as_text=True),
                         f"/licenses/{license.id}/edit")
    assert fields["rule_set"] == "tx-lpc"
    fields.update(license_number="LPC-777", renewal_deadline=f"{NEXT_YEAR}-05-31")
    response = user_client.post(f"/licenses/{license.id}/edit", data=fields)
    assert response.status_code == 303
    dbs.expire_all()
    saved = dbs.get(License, license.id)
    assert saved.license_number == "LPC-777" and saved.rules["origin"] == "catalog"
    assert [c.renewal_deadline for c in saved.cycles] == [date(NEXT_YEAR, 5, 31)]
    assert "License saved." in user_client.get(response.headers["Location"]).get_data(as_text=True)


def test_delete_asks_first_then_removes_the_license_but_keeps_the_activities(user_client, dbs):
    uid = user_client.user.id
    license = add_license(dbs, uid, "tx-lpc")
    add_activity(dbs, uid, [license], hours="2")
    confirm = user_client.get(f"/licenses/{license.id}/delete").get_data(as_text=True)
    assert "Delete Licensed Professional Counselor (LPC)?" in confirm
    assert "Your 1 activity counted toward it stay in your log" in confirm
    response = user_client.post_form(f"/licenses/{license.id}/delete")
    assert response.status_code == 303 and response.headers["Location"] == "/licenses"
    assert licenses_of(dbs, uid) == []
    assert dbs.scalars(select(LicenseCycle)).all() == []
    assert len(dbs.scalars(select(Activity)).all()) == 1
    assert user_client.get(f"/licenses/{license.id}").status_code == 404


def test_delete_with_htmx_answers_with_a_redirect_header(user_client, dbs):
    license = add_license(dbs, user_client.user.id, "tx-lpc")
    response = user_client.post_form(f"/licenses/{license.id}/delete", htmx=True)
    assert response.status_code == 200 and response.headers["HX-Redirect"] == "/licenses"


def test_picking_a_rule_set_with_htmx_swaps_only_the_form(user_client):
    response = user_client.htmx_get("/licenses/new?rule_set=ny-lmhc", target="license-form")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<div id="license-form">') and "Licensed Mental Health Counselor" in html
    assert "HX-Request" in response.headers["Vary"]


def test_the_list_shows_every_license_deadline_soonest_first(user_client, dbs):
    uid = user_client.user.id
    today = date.today()
    add_license(dbs, uid, "ny-lmhc", start=today - timedelta(days=400), deadline=today + timedelta(days=300),
                issuing_body="New York")
    add_license(dbs, uid, "tx-lpc", start=today - timedelta(days=600), deadline=today + timedelta(days=60))
    page = user_client.get("/licenses").get_data(as_text=True)
    assert page.index("Licensed Professional Counselor") < page.index("Licensed Mental Health Counselor")
    assert "60 days left" in page and "300 days left" in page
