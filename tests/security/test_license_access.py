"""License URLs and fragments are the owner's alone; forms take only their own fields, escaped, checked."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.licenses.models import License
from tests.licenses.helpers import add_activity, add_license, form_fields

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
NEXT_YEAR = date.today().year + 1


def license_rules(app):
    """Every URL rule that names a license, found by walking the URL map (new routes are covered too)."""
    return [rule for rule in app.url_map.iter_rules() if "license_id" in rule.arguments]


@pytest.fixture
def two_users(client, make_client, auth, dbs):
    """Ann (signed in on `client`) and Bob, each with a license, a cycle and an activity."""
    ann = auth.sign_up(client, "ann@example.com")
    bob_client = make_client()
    bob = auth.sign_up(bob_client, "bob@example.com", name="Bob")
    mine = add_license(dbs, ann.id, "tx-lpc")
    theirs = add_license(dbs, bob.id, "ny-lmhc", issuing_body="New York")
    add_activity(dbs, bob.id, [theirs], hours="3")
    return client, mine, theirs


def test_the_walk_finds_every_license_page(app):
    endpoints = {rule.endpoint for rule in license_rules(app)}
    assert {"licenses.show", "licenses.edit", "licenses.update", "licenses.delete_confirm", "licenses.delete",
            "licenses.renew_confirm", "licenses.renew", "licenses.cycle"} <= endpoints


def test_another_users_license_answers_404_for_every_method_and_fragment(app, two_users, dbs):
    client, mine, theirs = two_users
    failures = []
    for pattern in sorted({rule.rule for rule in license_rules(app)}):
        url = pattern.replace("<int:license_id>", str(theirs.id)).replace("<int:cycle_id>",
                                                                             str(theirs.cycles[0].id))
        for method in METHODS:
            for headers in ({}, {"HX-Request": "true", "HX-Target": "license-form"}):
                if method == "GET":
                    response = client.open(url, method=method, headers=headers)
                else:
                    response = client.open(url, method=method, headers=headers,
                                           data={"csrf_token": client.csrf_token(), "rule_set": "tx-lpc",
                                                 "profession": "Taken", "cycle_id": str(theirs.cycles[0].id)})
                if response.status_code != 404:  # a method the URL does not take too: no id is confirmed
                    failures.append(f"{method} {url} {headers}: {response.status_code}")
    assert failures == []
    mine_url = f"/licenses/{mine.id}"
    assert client.open(mine_url, method="PUT").status_code == 405  # the owner learns the methods
    assert client.open(mine_url, method="OPTIONS").status_code == 200
    dbs.expire_all()
    still = dbs.get(License, theirs.id)
    assert still.profession == "Licensed Mental Health Counselor" and len(still.cycles) == 1


def test_another_users_cycle_under_my_license_answers_404(two_users):
    client, mine, theirs = two_users
    assert client.get(f"/licenses/{mine.id}/cycles/{theirs.cycles[0].id}").status_code == 404
    assert client.get(f"/licenses/{mine.id}/cycles/{mine.cycles[0].id}").status_code == 200


def test_a_smuggled_user_id_is_ignored(two_users, dbs):
    client, mine, theirs = two_users
    fields = form_fields(client.get("/licenses/new?rule_set=tx-lpc").get_data(as_text=True), "/licenses/new")
    fields.update(renewal_deadline=f"{NEXT_YEAR}-01-31", user_id=str(theirs.user_id), id=str(theirs.id),
                  license_id=str(theirs.id))
    response = client.post("/licenses/new", data=fields)
    assert response.status_code == 303
    created = dbs.scalars(select(License).where(License.id.not_in([mine.id, theirs.id]))).one()
    assert created.user_id == mine.user_id
    assert [c.user_id for c in created.cycles] == [mine.user_id]
    assert len(dbs.scalars(select(License).where(License.user_id == theirs.user_id)).all()) == 1


PAYLOAD = '<img src=x onerror="alert(1)">'


def test_html_typed_into_a_license_comes_out_escaped_everywhere(user_client, dbs):
    fields = form_fields(user_client.get("/licenses/new?rule_set=custom").get_data(as_text=True), "/licenses/new")
    fields.update(profession=PAYLOAD, credential="<b>X</b>", issuing_body=PAYLOAD, license_number=PAYLOAD,
                  total_hours="10", renewal_deadline=f"{NEXT_YEAR}-01-31", cycle_start=f"{NEXT_YEAR - 1}-02-01")
    response = user_client.post("/licenses/new", data=fields)
    assert response.status_code == 303, response.get_data(as_text=True)
    license = dbs.scalars(select(License)).one()
    assert license.profession == PAYLOAD
    urls = ["/dashboard", "/licenses", f"/licenses/{license.id}", f"/licenses/{license.id}/edit",
            f"/licenses/{license.id}/delete", f"/licenses/{license.id}/renew",
            f"/licenses/{license.id}/cycles/{license.cycles[0].id}"]
    for url in urls:
        for page in (user_client.get(url), user_client.htmx_get(url, target="license-form")):
            html = page.get_data(as_text=True)
            assert page.status_code == 200, url
            assert "<img src=x" not in html and "<b>X</b>" not in html, url
    show = user_client.get(f"/licenses/{license.id}").get_data(as_text=True)
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in show


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"profession": ""}, "profession", "Enter the profession or license type."),
    ({"issuing_body": "  "}, "issuing_body", "Enter the state or board that issued the license."),
    ({"total_hours": "lots"}, "total_hours", "Enter hours as a number, like 1.5."),
    ({"total_hours": "-3"}, "total_hours", "Hours cannot be negative."),
    ({"total_hours": "1.255"}, "total_hours", "at most two decimals"),
    ({"total_hours": "NaN"}, "total_hours", "at most two decimals"),
    ({"renewal_deadline": "31/01/2027"}, "renewal_deadline", "Enter a date as YYYY-MM-DD."),
    ({"cycle_start": f"{NEXT_YEAR}-06-01", "renewal_deadline": f"{NEXT_YEAR}-01-31"}, "renewal_deadline",
     "The renewal deadline must be after the day the cycle started."),
    ({"cycle_years": "40"}, "cycle_years", "Enter 1 to 10 years."),
    ({"profession": "x" * 121}, "profession", "Field cannot be longer than 120 characters."),
])
def test_invalid_input_gives_422_with_the_fields_message_and_saves_nothing(user_client, dbs, changes, field,
                                                                           message):
    fields = form_fields(user_client.get("/licenses/new?rule_set=tx-lpc").get_data(as_text=True), "/licenses/new")
    fields["renewal_deadline"] = f"{NEXT_YEAR}-01-31"
    fields.update(changes)
    response = user_client.post("/licenses/new", data=fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in html and message in html
    assert f'id="{field}" ' in html and 'aria-invalid="true"' in html
    assert dbs.scalars(select(License)).all() == []


def test_an_unknown_rule_set_gives_422_and_saves_nothing(user_client, dbs):
    response = user_client.post_form("/licenses/new", {"rule_set": "xx-nothing", "profession": "P"})
    assert response.status_code == 422
    assert "Choose a license type from the list" in response.get_data(as_text=True)
    assert dbs.scalars(select(License)).all() == []


def test_invalid_edit_gives_422_and_changes_nothing(user_client, dbs):
    license = add_license(dbs, user_client.user.id, "tx-lpc")
    fields = form_fields(user_client.get(f"/licenses/{license.id}/edit").get_data(as_text=True),
                         f"/licenses/{license.id}/edit")
    fields.update(profession="", total_hours="-1")
    response = user_client.post(f"/licenses/{license.id}/edit", data=fields)
    assert response.status_code == 422
    dbs.expire_all()
    assert dbs.get(License, license.id).profession == "Licensed Professional Counselor"


def test_license_forms_require_the_csrf_token(user_client, dbs):
    license = add_license(dbs, user_client.user.id, "tx-lpc")
    fields = form_fields(user_client.get("/licenses/new?rule_set=tx-lpc").get_data(as_text=True), "/licenses/new")
    fields.update(renewal_deadline=f"{NEXT_YEAR}-01-31")
    del fields["csrf_token"]
    assert user_client.post("/licenses/new", data=fields).status_code == 400
    assert user_client.post(f"/licenses/{license.id}/delete", data={"csrf_token": "forged"}).status_code == 400
    assert user_client.post(f"/licenses/{license.id}/renew", data={}).status_code == 400
    assert [row.id for row in dbs.scalars(select(License)).all()] == [license.id]
