"""Logging, showing, editing and deleting activities through the pages, with and without htmx."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.activities.models import Activity, ActivityTopic
from app.audit import AuditEvent
from tests.activities.fixtures import form_data


def _activities(dbs, user_id):
    dbs.expire_all()
    return dbs.scalars(select(Activity).where(Activity.user_id == user_id)).all()


def test_empty_list_tells_what_to_do(user_client):
    page = user_client.get("/activities").get_data(as_text=True)
    assert "No activities yet" in page
    assert 'href="/activities/new"' in page and "Log your first activity" in page
    assert 'href="/activities/import"' in page


def test_list_requires_sign_in(client):
    response = client.get("/activities")
    assert response.status_code == 303 and "/sign-in" in response.headers["Location"]


def test_new_form_has_fields_topic_rows_and_phi_warning(user_client):
    page = user_client.get("/activities/new").get_data(as_text=True)
    for name in ["title", "provider", "approval_body", "approval_number", "started_on", "completed_on", "amount",
                 "unit", "format", "notes"]:
        assert f'name="{name}"' in page, name
    assert all(f'name="topics-{i}-topic"' in page for i in range(4))
    assert "No client information." in page
    assert f'name="completed_on" type="date" value="{date.today().isoformat()}"' in page


def test_log_activity_saves_topics_and_redirects_to_it(user_client, dbs):
    response = user_client.post_form("/activities/new", form_data())
    assert response.status_code == 303
    [activity] = _activities(dbs, user_client.user.id)
    assert response.headers["Location"] == f"/activities/{activity.id}"
    assert activity.hours == Decimal("3.00") and activity.format == "live_online"
    assert {(t.topic, t.hours) for t in activity.topics} == {("ethics", Decimal("2.00")), ("general", Decimal("1.00"))}
    page = user_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Logged “Ethics for counselors”." in page and "Ethics: 2" in page and "General: 1" in page
    actions = dbs.scalars(select(AuditEvent.action).where(AuditEvent.user_id == user_client.user.id)).all()
    assert "activity_created" in actions


def test_ceus_are_converted_to_hours_at_entry(user_client, dbs):
    response = user_client.post_form("/activities/new", form_data(
        amount="0.6", unit="ceus", **{"topics-0-amount": "0.2", "topics-1-amount": "0.1"}))
    assert response.status_code == 303
    [activity] = _activities(dbs, user_client.user.id)
    assert activity.hours == Decimal("6.00")
    assert {t.topic: t.hours for t in activity.topics} == {"ethics": Decimal("2.00"), "general": Decimal("1.00")}


def test_date_range_and_us_dates_are_accepted(user_client, dbs):
    start = date.today() - timedelta(days=9)
    end = date.today() - timedelta(days=7)
    response = user_client.post_form("/activities/new", form_data(
        started_on=f"{start.month}/{start.day}/{start.year}", completed_on=end.isoformat()))
    assert response.status_code == 303
    [activity] = _activities(dbs, user_client.user.id)
    assert (activity.started_on, activity.completed_on) == (start, end)


@pytest.mark.parametrize("changes, field, message", [
    ({"title": "  "}, "title", "Enter the title of the activity."),
    ({"completed_on": (date.today() + timedelta(days=2)).isoformat()}, "completed_on",
     "The completion date cannot be in the future."),
    ({"completed_on": ""}, "completed_on", "Enter the date you completed it."),
    ({"completed_on": "yesterday"}, "completed_on", "Write the date as 2026-05-01 or 5/1/2026."),
    ({"started_on": (date.today() - timedelta(days=1)).isoformat(),
      "completed_on": (date.today() - timedelta(days=5)).isoformat()}, "started_on",
     "The start date cannot be after the completion date."),
    ({"amount": "0"}, "amount", "Enter more than 0 and at most 100 hours."),
    ({"amount": "100.5"}, "amount", "Enter more than 0 and at most 100 hours."),
    ({"amount": "10.5", "unit": "ceus"}, "amount", "Enter more than 0 and at most 10 CEUs."),
    ({"amount": "lots"}, "amount", "Enter a number, like 1.5."),
    ({"amount": ""}, "amount", "Enter the hours."),
    ({"amount": "1.234"}, "amount", "Use at most two decimals for hours."),
    ({"format": ""}, "format", "Choose how you took it"),
    ({"topics-0-amount": "3"}, None, "The topic hours add up to more than the activity&#39;s total."),
    ({"topics-1-topic": "ethics"}, None, "Give each topic once."),
    ({"topics-2-amount": "1"}, None, "Choose the topic for each amount you gave."),
    ({"title": "x" * 301}, "title", "Keep this to 300 characters or fewer."),
])
def test_invalid_input_is_422_with_the_message_and_nothing_saved(user_client, dbs, changes, field, message):
    response = user_client.post_form("/activities/new", form_data(**changes))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    if field:
        assert f'id="{field}-error"' in page and f'id="{field}"' in page
    assert "Nothing was saved yet" in page
    assert _activities(dbs, user_client.user.id) == []


def test_invalid_form_keeps_what_was_typed(user_client):
    page = user_client.post_form("/activities/new", form_data(amount="0", title="Keep <me>")).get_data(as_text=True)
    assert 'value="Keep &lt;me&gt;"' in page and 'value="Ethics for counselors"' not in page


def test_licenses_default_to_those_whose_open_cycle_holds_the_date(user_client, dbs, make_license):
    user = user_client.user
    today = date.today()
    current = make_license(user, "LPC", today - timedelta(days=100), today + timedelta(days=300))
    make_license(user, "LMFT", today - timedelta(days=800), today - timedelta(days=50),
                 renewed_on=today - timedelta(days=60))  # closed cycle: never a default
    make_license(user, "LCDC", today + timedelta(days=10), today + timedelta(days=700))  # starts later
    page = user_client.get("/activities/new").get_data(as_text=True)
    assert page.count("<input checked") == 1
    assert f'<input checked id="licenses-0" name="licenses" type="checkbox" value="{current}">' in page
    response = user_client.post_form("/activities/new", form_data(
        licenses=[str(current)], defaults_for=today.isoformat()))
    assert response.status_code == 303
    [activity] = _activities(dbs, user.id)
    assert [lic.id for lic in activity.licenses] == [current]


def test_untouched_default_licenses_follow_a_changed_date(user_client, dbs, make_license):
    user = user_client.user
    today = date.today()
    current = make_license(user, "LPC", today - timedelta(days=30), today + timedelta(days=300))
    old_date = today - timedelta(days=90)  # before the current cycle started
    response = user_client.post_form("/activities/new", form_data(
        completed_on=old_date.isoformat(), licenses=[str(current)], defaults_for=today.isoformat()))
    assert response.status_code == 303
    [activity] = _activities(dbs, user.id)
    assert activity.licenses == []


def test_licenses_chosen_by_hand_are_kept(user_client, dbs, make_license):
    user = user_client.user
    today = date.today()
    current = make_license(user, "LPC", today - timedelta(days=30), today + timedelta(days=300))
    other = make_license(user, "LMFT", today - timedelta(days=30), today + timedelta(days=300))
    old_date = today - timedelta(days=90)
    response = user_client.post_form("/activities/new", form_data(
        completed_on=old_date.isoformat(), licenses=[str(other)], defaults_for=today.isoformat()))
    assert response.status_code == 303
    [activity] = _activities(dbs, user.id)
    assert [lic.id for lic in activity.licenses] == [other] and current != other


def test_changing_the_date_refreshes_the_license_block(user_client, make_license):
    user = user_client.user
    today = date.today()
    current = make_license(user, "LPC", today - timedelta(days=30), today + timedelta(days=300))
    old = (today - timedelta(days=90)).isoformat()
    response = user_client.htmx_get(
        f"/activities/new?completed_on={old}&licenses={current}&defaults_for={today.isoformat()}",
        target="activity-licenses")
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<fieldset id="activity-licenses"')
    assert "checked" not in html and f'value="{old}"' in html


def test_new_form_reloaded_with_its_address_can_still_be_saved(user_client):
    """The date refresh's address, opened as a page (reload, no JavaScript), carries a CSRF field."""
    old = (date.today() - timedelta(days=90)).isoformat()
    page = user_client.get(f"/activities/new?completed_on={old}&defaults_for={old}").get_data(as_text=True)
    assert 'name="csrf_token" type="hidden" value="' in page and f'value="{old}"' in page


def _prefixed(activity_id: int, data: dict) -> dict:
    return {f"activity-{activity_id}-{k}": v for k, v in data.items()}


def test_edit_page_saves_changes_and_replaces_topics_and_licenses(user_client, dbs, make_activity, make_license):
    user = user_client.user
    lpc = make_license(user, "LPC")
    lmft = make_license(user, "LMFT")
    activity_id = make_activity(user, topics={"ethics": Decimal(2)}, license_ids=[lpc])
    page = user_client.get(f"/activities/{activity_id}/edit").get_data(as_text=True)
    assert 'value="Ethics in practice"' in page and '<option selected value="ethics">' in page
    response = user_client.post_form(f"/activities/{activity_id}/edit", form_data(
        title="Ethics, revised", amount="4", licenses=[str(lmft)],
        **{"topics-0-topic": "law", "topics-0-amount": "1.5", "topics-1-topic": "", "topics-1-amount": ""}))
    assert response.status_code == 303 and response.headers["Location"] == f"/activities/{activity_id}"
    [activity] = _activities(dbs, user.id)
    assert activity.title == "Ethics, revised" and activity.hours == Decimal("4.00")
    assert [(t.topic, t.hours) for t in activity.topics] == [("law", Decimal("1.50"))]
    assert [lic.id for lic in activity.licenses] == [lmft]
    event = dbs.scalar(select(AuditEvent).where(AuditEvent.action == "activity_updated"))
    assert {"title", "hours", "topics", "licenses"} <= set(event.details["changed"])


def test_edit_with_errors_is_422_and_changes_nothing(user_client, dbs, make_activity):
    activity_id = make_activity(user_client.user)
    response = user_client.post_form(f"/activities/{activity_id}/edit", form_data(title="", amount="101"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Enter the title of the activity." in page and "at most 100 hours" in page
    [activity] = _activities(dbs, user_client.user.id)
    assert activity.title == "Ethics in practice" and activity.hours == Decimal("3.00")


def test_inline_edit_swaps_the_row_for_a_form_and_back(user_client, dbs, make_activity):
    activity_id = make_activity(user_client.user)
    response = user_client.htmx_get(f"/activities/{activity_id}/edit?inline=row", target=f"activity-{activity_id}")
    html = response.get_data(as_text=True)
    assert html.startswith(f'<tr id="activity-{activity_id}" class="editing-row">') and "<html" not in html
    assert f'name="activity-{activity_id}-title"' in html
    response = user_client.post_form(f"/activities/{activity_id}/edit?inline=row",
                                     _prefixed(activity_id, form_data(title="Renamed inline")),
                                     htmx=True, target=f"activity-{activity_id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith(f"<tr id=\"activity-{activity_id}\">") and "Renamed inline" in html
    assert "Saved" in response.headers["HX-Trigger"]
    assert _activities(dbs, user_client.user.id)[0].title == "Renamed inline"


def test_inline_edit_with_errors_returns_the_form_row_with_422(user_client, dbs, make_activity):
    activity_id = make_activity(user_client.user)
    response = user_client.post_form(f"/activities/{activity_id}/edit?inline=row",
                                     _prefixed(activity_id, form_data(amount="0")),
                                     htmx=True, target=f"activity-{activity_id}")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert html.startswith(f'<tr id="activity-{activity_id}" class="editing-row">')
    assert "Enter more than 0 and at most 100 hours." in html
    assert _activities(dbs, user_client.user.id)[0].hours == Decimal("3.00")


def test_inline_cancel_returns_the_row(user_client, make_activity):
    activity_id = make_activity(user_client.user)
    html = user_client.htmx_get(f"/activities/{activity_id}?inline=row",
                                target=f"activity-{activity_id}").get_data(as_text=True)
    assert html.lstrip().startswith(f"<tr id=\"activity-{activity_id}\">") and "Ethics in practice" in html


def test_delete_asks_on_a_page_then_deletes(user_client, dbs, make_activity):
    activity_id = make_activity(user_client.user)
    page = user_client.get(f"/activities/{activity_id}/delete").get_data(as_text=True)
    assert "Delete this activity?" in page and f'action="/activities/{activity_id}/delete"' in page
    assert _activities(dbs, user_client.user.id) != []
    response = user_client.post_form(f"/activities/{activity_id}/delete")
    assert response.status_code == 303 and response.headers["Location"] == "/activities"
    assert _activities(dbs, user_client.user.id) == []
    assert "Deleted “Ethics in practice”." in user_client.get("/activities").get_data(as_text=True)
    assert dbs.scalar(select(func.count()).select_from(ActivityTopic)) == 0
    assert dbs.scalar(select(AuditEvent).where(AuditEvent.action == "activity_deleted")) is not None


def test_inline_delete_confirms_in_the_row_then_removes_it(user_client, dbs, make_activity):
    activity_id = make_activity(user_client.user)
    html = user_client.htmx_get(f"/activities/{activity_id}/delete?inline=row",
                                target=f"activity-{activity_id}").get_data(as_text=True)
    assert html.startswith(f'<tr id="activity-{activity_id}" class="confirm-row">')
    assert 'hx-swap="delete"' in html and "Delete “Ethics in practice”" in html
    response = user_client.post_form(f"/activities/{activity_id}/delete?inline=row", htmx=True,
                                     target=f"activity-{activity_id}")
    assert response.status_code == 200 and response.get_data(as_text=True).strip() == ""
    assert "Deleted" in response.headers["HX-Trigger"]
    assert _activities(dbs, user_client.user.id) == []


def test_boosted_save_answers_with_hx_redirect(user_client):
    response = user_client.post_form("/activities/new", form_data(), headers={"HX-Request": "true",
                                                                            "HX-Boosted": "true"})
    assert response.status_code == 200 and response.headers["HX-Redirect"].startswith("/activities/")


def test_activity_page_lists_its_certificates_and_links_to_upload_one(user_client, dbs, make_activity):
    from app.certificates.models import Certificate
    activity_id = make_activity(user_client.user)
    other_id = make_activity(user_client.user, title="Another course")
    page = user_client.get(f"/activities/{activity_id}").get_data(as_text=True)
    assert "No certificate yet." in page
    assert f'href="/activities/{activity_id}/certificate">Upload its certificate</a>' in page
    mine = Certificate(user_id=user_client.user.id, activity_id=activity_id, original_name="<b>ethics</b>.pdf",
                       media_type="application/pdf", size_bytes=10, status="verified")
    elsewhere = Certificate(user_id=user_client.user.id, activity_id=other_id, original_name="other.pdf",
                            media_type="application/pdf", size_bytes=10)
    dbs.add_all([mine, elsewhere])
    dbs.commit()
    page = user_client.get(f"/activities/{activity_id}").get_data(as_text=True)
    assert f'href="/certificates/{mine.id}"' in page and "&lt;b&gt;ethics&lt;/b&gt;.pdf" in page
    assert "Verified" in page and "other.pdf" not in page and "No certificate yet." not in page
    assert "Upload another certificate</a>" in page


def test_a_time_zone_this_machine_does_not_know_falls_back_instead_of_failing(user_client, dbs):
    from app.auth.models import User
    user = dbs.get(User, user_client.user.id)
    user.time_zone = "Mars/Olympus_Mons"
    dbs.commit()
    for url in ("/activities", "/activities/new", "/activities/export.csv", "/dashboard", "/licenses"):
        assert user_client.get(url).status_code == 200, url
