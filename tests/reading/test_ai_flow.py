"""“Read it for me” with an API key, the Anthropic API answered by httpx2.MockTransport through
the app's ANTHROPIC_HTTP_CLIENT (handed to app.parsing.ai as `http_client`): what is shown before
sending, client information, failures, absurd answers, and the daily limit."""
from __future__ import annotations

import shutil
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.activities.models import Activity
from app.audit import AuditEvent
from app.tasks import JobRecord
from tests.parsing.test_ai import CERT_TEXT, GOOD_ANSWER, FakeAPI, answering, api_error, raise_timeout
from tests.reading.helpers import form_values, reading_id, run_jobs_in, scanned_pdf, upload_certificate

CLIENT_LINE = "Client: John Smith, DOB 04/12/1986\n"


@pytest.fixture
def reader(fresh_app, auth):
    """reader(api, **settings) -> (app, Ann's client) with an API key and the mocked API."""
    made = []

    def make(api: FakeAPI, **settings):
        app = fresh_app(ANTHROPIC_API_KEY="test-key", ANTHROPIC_HTTP_CLIENT=api.client(),
                        ANTHROPIC_MAX_RETRIES=0, ANTHROPIC_TIMEOUT=5.0, **settings)
        client = app.test_client()
        client.user = auth.sign_up(client)
        made.append(app)
        return app, client
    yield make
    for app in made:
        shutil.rmtree(Path(app.config["CERTIFICATE_ROOT"]), ignore_errors=True)


def _review(client, text: str = CERT_TEXT) -> tuple[str, str]:
    rid = reading_id(client.post_form("/read", {"text": text}))
    return rid, client.get(f"/read/{rid}").get_data(as_text=True)


def _read(app, client, text: str = CERT_TEXT, **changes) -> str:
    """Pastes, sends as reviewed (with changes), runs the job; returns the pre-filled form page."""
    rid, review = _review(client, text)
    response = client.post_form(f"/read/{rid}", form_values(review, "reading-send") | changes)
    assert response.status_code == 303, response.get_data(as_text=True)
    run_jobs_in(app)
    return client.get(f"/activities/new?draft={rid}").get_data(as_text=True)


def _count(dbs, model) -> int:
    dbs.expire_all()
    return dbs.scalar(select(func.count()).select_from(model))


def test_review_says_what_is_sent_to_whom_and_the_training_promise(reader):
    api = answering(GOOD_ANSWER)
    app, client = reader(api, AI_READS_PER_DAY=3)
    _, page = _review(client)
    assert "Sent to Anthropic" in page and "claude-sonnet-4-5" in page and "the text below" in page
    assert "does not use it to train AI models" in page and 'href="/privacy"' in page
    assert "3 AI reads left today" in page and "Send to Anthropic and read it" in page
    assert "Anthropic" in client.get("/read").get_data(as_text=True)
    assert api.requests == []  # nothing sent by looking


def test_good_answer_fills_the_form_and_says_the_model(reader, dbs):
    api = answering(GOOD_ANSWER)
    app, client = reader(api)
    page = _read(app, client)
    assert len(api.requests) == 1
    assert "Juniper Hollow" in api.requests[0]["messages"][0]["content"][0]["text"]
    assert "Read by Anthropic's AI model claude-sonnet-4-5" in page
    values = form_values(page, "activity-form")
    assert values["title"] == GOOD_ANSWER["title"] and values["completed_on"] == "2025-02-07"
    assert values["amount"] == "2" and values["format"] == "live_online" and values["approval_number"] == "5812"
    assert values["topics-0-topic"] == "ethics" and values["topics-0-amount"] == "0.5"
    assert "(90%)" in page
    assert client.post_form("/activities/new", values).status_code == 303
    dbs.expire_all()
    activity = dbs.scalar(select(Activity))
    assert activity.hours == Decimal("2.00") and [(t.topic, t.hours) for t in activity.topics] == [
        ("ethics", Decimal("0.50"))]
    event = dbs.scalar(select(AuditEvent).where(AuditEvent.action == "certificate_read"))
    assert event.details["parser"] == "ai" and event.details["sent_to"] == "Anthropic"
    assert event.details["model"] == "claude-sonnet-4-5" and "Juniper" not in str(event.details)


def test_flagged_client_information_blocks_sending_until_removed(reader, dbs):
    api = answering(GOOD_ANSWER)
    app, client = reader(api)
    rid, review = _review(client, CERT_TEXT + CLIENT_LINE)
    assert "This looks like client information" in review and "<mark>John Smith</mark>" in review
    assert "04/12/1986" in review
    response = client.post_form(f"/read/{rid}", form_values(review, "reading-send"))
    assert response.status_code == 422 and "Remove the marked text" in response.get_data(as_text=True)
    assert _count(dbs, JobRecord) == 0 and api.requests == []

    response = client.post_form(f"/read/{rid}", {"text": CERT_TEXT})  # the user cut the line out
    assert response.status_code == 303
    run_jobs_in(app)
    sent = api.requests[0]["messages"][0]["content"][0]["text"]
    assert "Juniper Hollow" in sent and "John Smith" not in sent and "1986" not in sent


def test_flagged_text_is_sent_when_the_user_confirms(reader, dbs):
    api = answering(GOOD_ANSWER)
    app, client = reader(api)
    page = _read(app, client, CERT_TEXT + CLIENT_LINE, confirm="y")
    assert "John Smith" in api.requests[0]["messages"][0]["content"][0]["text"]
    assert "Read by Anthropic" in page
    event = dbs.scalar(select(AuditEvent).where(AuditEvent.action == "certificate_read"))
    assert event.details["client_information_confirmed"] is True and "Smith" not in str(event.details)


@pytest.mark.parametrize(("respond", "message"), [
    (lambda request: api_error(529, "overloaded_error", "Overloaded"), "The AI reader is overloaded right now."),
    (lambda request: api_error(429, "rate_limit_error", "slow down"), "handling too many requests"),
    (raise_timeout, "The AI reader took too long to answer."),
    (answering('{"is_certificate": tr').respond, "The AI reader&#39;s answer could not be used."),
], ids=["529", "429", "timeout", "malformed"])
def test_api_failure_says_why_and_the_local_parser_fills_the_form(reader, respond, message):
    api = FakeAPI(respond)
    app, client = reader(api)
    page = _read(app, client)
    assert len(api.requests) == 1
    assert "Read by the local parser on our server" in page and message in page
    assert form_values(page, "activity-form")["title"] == "Working with Grief after a Sudden Loss"


def test_absurd_answer_is_range_checked_and_never_reaches_the_database(reader, dbs):
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    absurd = GOOD_ANSWER | {"hours": 400, "completed_on": tomorrow, "format": "hologram",
                            "categories": [{"name": "astrology", "hours": 2}, {"name": "ethics", "hours": 250}]}
    api = answering(absurd)
    app, client = reader(api)
    page = _read(app, client)
    values = form_values(page, "activity-form")
    assert values["amount"] == "" and values["completed_on"] == "" and values["format"] == ""
    assert values["topics-0-topic"] == "" and "astrology" not in str(values)
    for warning in ("(400) are outside 0-100", "is in the future", "hologram", "astrology"):
        assert warning in page
    response = client.post_form("/activities/new", values)  # saved as pre-filled: refused
    assert response.status_code == 422 and _count(dbs, Activity) == 0
    fixed = values | {"amount": "2", "completed_on": "2025-02-07", "format": "live_online"}
    assert client.post_form("/activities/new", fixed).status_code == 303
    dbs.expire_all()
    activity = dbs.scalar(select(Activity))
    assert activity.hours == Decimal("2.00") and activity.topics == []


def test_daily_limit_switches_to_the_local_parser_and_sends_nothing(reader, dbs):
    api = answering(GOOD_ANSWER)
    app, client = reader(api, AI_READS_PER_DAY=1)
    assert "Read by Anthropic" in _read(app, client)
    _, review = _review(client)
    assert "used today&#39;s 1 AI reads" in review and "Nothing is sent anywhere." in review
    page = _read(app, client)
    assert len(api.requests) == 1
    assert "Read by the local parser on our server" in page and "AI reads start again tomorrow" in page
    with app.app_context():
        keys = [key.decode() for key in app.extensions["redis"].scan_iter(f"user:{client.user.id}:ai-reads:*")]
    assert len(keys) == 1


def test_without_a_key_nothing_is_sent(fresh_app, auth):
    api = answering(GOOD_ANSWER)
    app = fresh_app(ANTHROPIC_API_KEY=None, ANTHROPIC_HTTP_CLIENT=api.client())
    client = app.test_client()
    auth.sign_up(client)
    page = _read(app, client)
    assert api.requests == [] and "Read by the local parser on our server" in page


def test_scanned_pdf_goes_as_a_document_once_the_user_confirms(reader):
    api = answering(GOOD_ANSWER)
    app, client = reader(api)
    certificate_id = upload_certificate(client, scanned_pdf(), "scan.pdf")
    run_jobs_in(app)
    rid = reading_id(client.post_form(f"/read/certificate/{certificate_id}"))
    review = client.get(f"/read/{rid}").get_data(as_text=True)
    assert "the certificate file itself" in review and "shows no client information" in review
    response = client.post_form(f"/read/{rid}", form_values(review, "reading-send"))
    assert response.status_code == 422 and api.requests == []
    assert client.post_form(f"/read/{rid}", form_values(review, "reading-send") | {"confirm": "y"}).status_code == 303
    run_jobs_in(app)
    block = api.requests[0]["messages"][0]["content"][0]
    assert block["type"] == "document" and block["source"]["media_type"] == "application/pdf"
    page = client.get(f"/activities/new?draft={rid}").get_data(as_text=True)
    assert form_values(page, "activity-form")["title"] == GOOD_ANSWER["title"]

