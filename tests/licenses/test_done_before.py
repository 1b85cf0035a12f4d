"""A once-in-a-career requirement marked on the license form as completed before this cycle.

A license added mid-career has no tracked cycle in which NY's child-abuse course was taken:
without the tick it would show as missing forever.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.licenses.catalog import load_catalog
from app.licenses.editing import TopicInput, done_before_keys, with_done_before
from app.licenses.models import License
from app.licenses.progress import Cycle, compute_progress
from app.licenses.rules import Frequency
from tests.licenses.helpers import add_activity, add_license, form_fields

NY = load_catalog().get("ny-lmhc")
CHILD_ABUSE = "child_abuse_identification"
TODAY = date.today()


def test_only_ticked_once_in_a_career_requirements_are_kept():
    rows = (TopicInput(key=CHILD_ABUSE, done_before=True),
            TopicInput(key="appropriate_professional_boundaries", done_before=True),  # every cycle
            TopicInput(key="made_up", done_before=True))
    assert done_before_keys(NY, rows) == [CHILD_ABUSE]
    assert [r.key for r in NY.topics if r.frequency is Frequency.ONCE] == [CHILD_ABUSE]


def test_a_tick_records_cycle_zero_and_keeps_a_tracked_record():
    assert with_done_before({}, 1, NY, [CHILD_ABUSE]) == {CHILD_ABUSE: 0}
    # Met in a tracked earlier cycle: the tick keeps that cycle's number.
    assert with_done_before({CHILD_ABUSE: 2}, 4, NY, [CHILD_ABUSE]) == {CHILD_ABUSE: 2}
    # Unticked: the user says it is not done, so the earlier record goes; other keys stay.
    assert with_done_before({CHILD_ABUSE: 0, "ethics": 1}, 2, NY, []) == {"ethics": 1}


def test_done_before_takes_the_requirement_out_of_what_is_missing():
    cycle = Cycle(date(2026, 1, 1), date(2028, 12, 31), last_met_cycle={CHILD_ABUSE: 0})
    progress = compute_progress(NY, cycle, [], date(2026, 6, 1))
    assert CHILD_ABUSE not in [t.key for t in progress.topics]
    [not_due] = [t for t in progress.topics_not_due if t.key == CHILD_ABUSE]
    assert not_due.reason == "Already completed (as you noted on the license); required once in a career."
    assert progress.summary == "Still needed: 3 h of appropriate professional boundaries and 36 h in total, " \
                               "944 days left."


def _edit_fields(client, license_id: int) -> dict[str, str]:
    page = client.get(f"/licenses/{license_id}/edit")
    assert page.status_code == 200
    return form_fields(page.get_data(as_text=True), f"/licenses/{license_id}/edit")


def _row_of(fields: dict[str, str], key: str) -> str:
    return next(name[:-4] for name, value in fields.items() if value == key and name.endswith("-key"))


def test_ticking_it_on_the_edit_form_clears_it_from_the_dashboard_and_unticking_brings_it_back(user_client, dbs):
    uid = user_client.user.id
    ny = add_license(dbs, uid, "ny-lmhc", start=TODAY - timedelta(days=100), deadline=TODAY + timedelta(days=900),
                     issuing_body="New York")
    add_activity(dbs, uid, [ny], hours="3", topics={"boundaries": "3"}, completed_on=TODAY - timedelta(days=10))
    days = 900
    before = user_client.get("/dashboard").get_data(as_text=True)
    assert f"Still needed: 2 h of child abuse identification and 33 h in total, {days} days left." in before

    fields = _edit_fields(user_client, ny.id)
    row = _row_of(fields, CHILD_ABUSE)
    assert f"{row}-done_before" not in fields  # not ticked yet
    boundaries_row = _row_of(fields, "appropriate_professional_boundaries")
    edit_page = user_client.get(f"/licenses/{ny.id}/edit").get_data(as_text=True)
    assert f'name="{row}-done_before"' in edit_page and f'name="{boundaries_row}-done_before"' not in edit_page
    assert "I completed this before this cycle" in edit_page

    fields[f"{row}-done_before"] = "y"
    assert user_client.post(f"/licenses/{ny.id}/edit", data=fields).status_code == 303
    dbs.expire_all()
    assert ny.cycles[0].last_met_cycle == {CHILD_ABUSE: 0}
    assert ny.rules == NY.to_dict()  # the rule set itself is unchanged
    after = user_client.get("/dashboard").get_data(as_text=True)
    assert f"Still needed: 33 h in total, {days} days left." in after  # the cache saw the change at once
    license_page = user_client.get(f"/licenses/{ny.id}").get_data(as_text=True)
    assert "Child abuse identification: Already completed (as you noted on the license)" in license_page

    fields = _edit_fields(user_client, ny.id)
    assert fields[f"{row}-done_before"] == "y"  # the form shows it ticked
    del fields[f"{row}-done_before"]
    assert user_client.post(f"/licenses/{ny.id}/edit", data=fields).status_code == 303
    dbs.expire_all()
    assert ny.cycles[0].last_met_cycle == {}
    assert "2 h of child abuse identification" in user_client.get("/dashboard").get_data(as_text=True)


def test_it_can_be_ticked_when_adding_the_license_and_the_next_cycle_keeps_it(user_client, dbs):
    page = user_client.get("/licenses/new?rule_set=ny-lmhc")
    fields = form_fields(page.get_data(as_text=True), "/licenses/new")
    fields.update(cycle_start=(TODAY - timedelta(days=30)).isoformat(),
                  renewal_deadline=(TODAY + timedelta(days=60)).isoformat())
    fields[f"{_row_of(fields, CHILD_ABUSE)}-done_before"] = "y"
    assert user_client.post("/licenses/new", data=fields).status_code == 303
    [license] = dbs.scalars(select(License).where(License.user_id == user_client.user.id)).all()
    assert license.cycles[0].last_met_cycle == {CHILD_ABUSE: 0}

    renew = user_client.get(f"/licenses/{license.id}/renew").get_data(as_text=True)
    renew_fields = form_fields(renew, f"/licenses/{license.id}/renew")
    renew_fields["renewed_on"] = TODAY.isoformat()
    assert user_client.post(f"/licenses/{license.id}/renew", data=renew_fields).status_code == 303
    dbs.expire_all()
    opened = max(license.cycles, key=lambda c: c.cycle_number)
    assert opened.cycle_number == 2 and opened.last_met_cycle[CHILD_ABUSE] == 0
    assert "child abuse" not in user_client.get("/dashboard").get_data(as_text=True)
