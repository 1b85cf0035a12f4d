"""The calendar: a private feed URL (hashed, revocable, regenerated), parsed with icalendar, and a download."""
from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from app.outputs.models import CalendarFeed
from tests.outputs.seed import licensee, texas_lpc


@pytest.fixture
def ann(user_client, dbs, app):
    return licensee(dbs, app, user_id=user_client.user.id, email=user_client.user.email)


def _new_feed(user_client) -> str:
    response = user_client.post_form("/calendar/feed")
    assert response.status_code == 200
    return re.search(r'id="feed-url">https://cetracker\.test(/calendar/feed/[A-Za-z0-9_-]+\.ics)<',
                     response.get_data(as_text=True)).group(1)


def _events(body: bytes) -> list:
    return [c for c in Calendar.from_ical(body).walk("VEVENT")]


def test_feed_lists_open_deadlines_with_alarms(user_client, ann, make_client, dbs):
    renewed, _ = texas_lpc(dbs, ann.user_id, cycle_start=date(2023, 2, 1), deadline=date(2025, 1, 31), number="OLD")
    renewed.cycles[0].renewed_on = date(2025, 1, 20)
    dbs.commit()
    path = _new_feed(user_client)
    token = path.split("/")[-1].removesuffix(".ics")
    assert dbs.scalar(select(CalendarFeed)).token_hash == hashlib.sha256(token.encode()).hexdigest()
    response = make_client().get(path)  # a calendar app: no session
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    events = _events(response.data)
    assert len(events) == 1  # the renewed cycle is not a deadline any more
    event = events[0]
    assert event.decoded("dtstart") == date(2027, 1, 31)
    assert str(event["summary"]) == "Renewal deadline: TX LPC"
    assert "Ethics" not in response.get_data(as_text=True)  # no progress details in a calendar
    triggers = sorted(alarm.decoded("trigger") for alarm in event.walk("VALARM"))
    assert triggers == [timedelta(days=-30), timedelta(days=-7)]


def test_regenerating_revokes_the_old_url_and_revoke_turns_it_off(user_client, ann, make_client):
    first = _new_feed(user_client)
    second = _new_feed(user_client)
    app_client = make_client()
    assert app_client.get(first).status_code == 404
    assert app_client.get(second).status_code == 200
    assert "Your feed is on" in user_client.get("/calendar").get_data(as_text=True)
    assert user_client.post_form("/calendar/feed/revoke").status_code == 303
    assert app_client.get(second).status_code == 404


def test_htmx_swaps_the_feed_block(user_client, ann):
    response = user_client.post_form("/calendar/feed", htmx=True, target="calendar-feed")
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="calendar-feed">') and 'id="feed-url"' in body


def test_one_time_download_needs_sign_in_and_parses(user_client, ann, client):
    response = user_client.get("/calendar/deadlines.ics")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    assert [e.decoded("dtstart") for e in _events(response.data)] == [date(2027, 1, 31)]


def test_feed_of_a_deleted_account_answers_404(user_client, ann, make_client, dbs):
    path = _new_feed(user_client)
    from app.auth.models import User
    from app.db import utcnow
    dbs.get(User, ann.user_id).deleted_at = utcnow()
    dbs.commit()
    assert make_client().get(path).status_code == 404


def test_the_access_log_never_holds_the_feed_token(user_client, ann, make_client, caplog):
    path = _new_feed(user_client)
    with caplog.at_level("INFO", logger="cetracker.access"):
        make_client().get(path)
    assert "/calendar/feed/<token>.ics" in caplog.text and path.split("/")[-1] not in caplog.text
