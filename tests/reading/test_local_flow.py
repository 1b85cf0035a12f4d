"""“Read it for me” without an API key: pasted text read by the local parser on our server,
progress while the job runs, a pre-filled form marked as read, nothing saved before the user confirms."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from app.activities.models import Activity
from app.audit import AuditEvent
from app.reading.plan import NO_KEY
from tests.reading.helpers import corpus, form_values, reading_id

TEXT, EXPECTED = corpus(1)


def _activities(dbs) -> int:
    dbs.expire_all()
    return dbs.scalar(select(func.count()).select_from(Activity))


def _paste_and_send(client, text: str = TEXT) -> str:
    response = client.post_form("/read", {"text": text})
    assert response.status_code == 303
    rid = reading_id(response)
    review = client.get(f"/read/{rid}").get_data(as_text=True)
    response = client.post_form(f"/read/{rid}", form_values(review, "reading-send") | {"text": text})
    assert response.status_code == 303 and response.headers["Location"] == f"/read/{rid}"
    return rid


def test_start_page_says_nothing_is_sent_without_a_key(user_client):
    page = user_client.get("/read").get_data(as_text=True)
    assert "Nothing is sent anywhere." in page and "The local parser reads it on our server." in page
    assert NO_KEY in page and "Anthropic" not in page
    assert 'name="text"' in page and 'action="/read"' in page


def test_review_page_shows_the_text_and_who_reads_it(user_client):
    rid = reading_id(user_client.post_form("/read", {"text": TEXT}))
    page = user_client.get(f"/read/{rid}").get_data(as_text=True)
    assert "Nothing is sent anywhere." in page and "Sent to Anthropic" not in page
    assert "Motivational Interviewing in Brief Outpatient Settings" in page  # the text, editable
    assert "Read it</button>" in page


def test_pasted_text_becomes_a_prefilled_form_and_is_saved_only_when_confirmed(user_client, dbs, run_jobs):
    rid = _paste_and_send(user_client)
    waiting = user_client.get(f"/read/{rid}").get_data(as_text=True)
    assert "Waiting for a worker" in waiting and "Check again" in waiting and 'hx-trigger="every 2s"' in waiting
    run_jobs()
    response = user_client.get(f"/read/{rid}")
    assert response.status_code == 303 and response.headers["Location"] == f"/activities/new?draft={rid}"
    page = user_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Read by the local parser on our server" in page and NO_KEY in page
    assert "Nothing is saved yet." in page
    values = form_values(page, "activity-form")
    assert values["title"] == EXPECTED["title"] and values["provider"] == EXPECTED["provider"]
    assert values["completed_on"] == EXPECTED["completed_on"] and values["amount"] == "3"
    assert values["format"] == "live_online" and values["approval_body"] == "NBCC"
    assert values["approval_number"] == "7142" and values["draft"] == rid
    assert 'data-read-field="title"' in page and "Read from the certificate" in page and "%)" in page
    assert "Made out to: <strong>Danielle M. Ortega</strong>" in page
    assert _activities(dbs) == 0  # nothing saved by reading

    response = user_client.post_form("/activities/new", values)
    assert response.status_code == 303
    activity = dbs.scalar(select(Activity))
    assert (activity.title, activity.completed_on, activity.hours, activity.format, activity.approval_number) == (
        EXPECTED["title"], date(2025, 3, 3), Decimal("3.00"), "live_online", "7142")
    assert user_client.get(f"/read/{rid}").status_code == 404  # the draft is forgotten once saved


def test_status_polls_as_a_fragment_then_redirects_htmx_to_the_form(user_client, run_jobs):
    rid = _paste_and_send(user_client)
    fragment = user_client.htmx_get(f"/read/{rid}", target="reading-status")
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and body.lstrip().startswith('<div id="reading-status"')
    assert "<html" not in body and "Waiting for a worker" in body
    run_jobs()
    done = user_client.htmx_get(f"/read/{rid}", target="reading-status")
    assert done.headers["HX-Redirect"] == f"/activities/new?draft={rid}"


def test_each_read_is_audited_without_its_text(user_client, dbs, run_jobs):
    rid = _paste_and_send(user_client)
    run_jobs()
    dbs.expire_all()
    event = dbs.scalar(select(AuditEvent).where(AuditEvent.action == "certificate_read"))
    assert event.user_id == user_client.user.id
    assert event.details["parser"] == "local" and event.details["sent_to"] is None
    assert event.details["source"] == "paste" and "title" in event.details["fields_filled"]
    stored = str(event.details)
    for piece in ("Motivational", "Ortega", "Cedar Hollow", "7142"):
        assert piece not in stored
    assert rid not in stored


def test_empty_paste_is_refused_with_422(user_client):
    response = user_client.post_form("/read", {"text": "  "})
    assert response.status_code == 422 and "Paste the certificate" in response.get_data(as_text=True)


def test_unreadable_draft_or_someone_elses_reading_is_404(user_client, make_client, auth, run_jobs):
    rid = _paste_and_send(user_client)
    other = make_client()
    auth.sign_up(other, "bob@example.com", "Bob")
    assert other.get(f"/read/{rid}").status_code == 404
    assert other.post_form(f"/read/{rid}", {"text": "x"}).status_code == 404
    run_jobs()
    page = other.get(f"/activities/new?draft={rid}").get_data(as_text=True)
    assert "Read by" not in page and EXPECTED["title"] not in page  # Bob gets the empty form
    assert user_client.get("/read/not-a-reading-id").status_code == 404


def test_new_activity_page_offers_read_it_for_me(user_client):
    page = user_client.get("/activities/new").get_data(as_text=True)
    assert 'href="/read"' in page and "Read it for me" in page
