"""The account page: settings, the address change by mailed link, the activity log, cookies."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from app.account.activity_log import describe_device
from app.account.models import EmailChange
from app.audit import AuditEvent
from app.auth.models import User
from tests.mailbox import body

PROTECTED = ["/account", "/account/export", "/account/delete", "/account/activity-log"]


@pytest.mark.parametrize("path", PROTECTED)
def test_account_pages_need_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 303 and response.headers["Location"].startswith("/sign-in?next=")


@pytest.mark.parametrize("path", ["/account/profile", "/account/email", "/account/export", "/account/delete"])
def test_account_forms_need_sign_in(client, path):
    response = client.post_form(path, {})
    assert response.status_code == 303 and response.headers["Location"].startswith("/sign-in")


def test_settings_are_saved_and_audited(user_client, dbs):
    page = user_client.get("/account").get_data(as_text=True)
    assert "ann@example.com" in page and 'value="Ann Example"' in page
    response = user_client.post_form("/account/profile", {"name": "Ann Changed", "time_zone": "Europe/Paris"})
    assert response.status_code == 303
    user = dbs.get(User, user_client.user.id)
    assert (user.name, user.time_zone, user.reminders_enabled) == ("Ann Changed", "Europe/Paris", False)
    event = dbs.scalar(select(AuditEvent).where(AuditEvent.action == "profile_changed"))
    assert set(event.details["fields"]) == {"name", "time_zone", "reminders_enabled"}
    assert "Your settings are saved." in user_client.get("/account").get_data(as_text=True)


def test_invalid_settings_are_422_and_change_nothing(user_client, dbs):
    response = user_client.post_form("/account/profile", {"name": "", "time_zone": "Mars/Olympus"},
                                     htmx=True, target="profile-form")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Enter your name." in text and 'id="profile-form"' in text and "<html" not in text
    assert dbs.get(User, user_client.user.id).name == "Ann Example"


def _link_path(message) -> str:
    return re.search(r"https://cetracker\.test(/account/email/[A-Za-z0-9_-]+)", body(message)).group(1)


def test_email_change_is_confirmed_by_a_link_to_the_new_address(user_client, dbs, mailbox, run_jobs, make_client):
    response = user_client.post_form("/account/email", {"new_email": "Ann.New@Example.com"})
    assert response.status_code == 303
    run_jobs()
    path = _link_path(mailbox.wait_for("ann.new@example.com"))
    row = dbs.scalar(select(EmailChange))
    assert path.rsplit("/", 1)[1] not in row.token_hash and len(row.token_hash) == 64
    assert dbs.get(User, user_client.user.id).email == "ann@example.com"  # nothing yet
    other_browser = make_client()
    page = other_browser.get(path)
    assert page.status_code == 200 and "ann.new@example.com" in page.get_data(as_text=True)
    assert dbs.get(User, user_client.user.id).email == "ann@example.com"  # opening the link changes nothing
    response = user_client.post_form(path)
    assert response.status_code == 303 and response.headers["Location"] == "/account"
    dbs.expire_all()
    assert dbs.get(User, user_client.user.id).email == "ann.new@example.com"
    run_jobs()
    told = body(mailbox.wait_for("ann@example.com"))
    assert "changed from ann@example.com to ann.new@example.com" in told
    assert user_client.post_form(path).status_code == 410  # single use
    assert {"email_change_requested", "email_changed"} <= set(dbs.scalars(select(AuditEvent.action)))


def test_email_change_link_expires(user_client, mailbox, run_jobs, dbs):
    user_client.post_form("/account/email", {"new_email": "late@example.com"})
    run_jobs()
    path = _link_path(mailbox.wait_for("late@example.com"))
    with time_machine.travel(dbs.scalar(select(EmailChange)).expires_at + timedelta(seconds=1), tick=False):
        assert user_client.get(path).status_code == 410
        assert user_client.post_form(path).status_code in (303, 410)
    assert dbs.get(User, user_client.user.id).email == "ann@example.com"


def test_a_newer_request_voids_the_older_link(user_client, mailbox, run_jobs):
    user_client.post_form("/account/email", {"new_email": "first@example.com"})
    run_jobs()
    first = _link_path(mailbox.wait_for("first@example.com"))
    user_client.post_form("/account/email", {"new_email": "second@example.com"})
    assert user_client.get(first).status_code == 410


def test_an_address_with_an_account_gets_a_note_not_a_link(user_client, auth, make_client, mailbox, run_jobs, dbs):
    auth.sign_up(make_client(), "bob@example.com", "Bob")
    mailbox.clear()
    response = user_client.post_form("/account/email", {"new_email": "bob@example.com"})
    assert response.status_code == 303  # the page answers the same as for a free address
    run_jobs()
    text = body(mailbox.wait_for("bob@example.com"))
    assert "already has an account" in text and "/account/email/" not in text
    assert dbs.scalar(select(EmailChange)) is None


def test_same_or_malformed_address_is_422(user_client):
    assert user_client.post_form("/account/email", {"new_email": "ann@example.com"}).status_code == 422
    assert user_client.post_form("/account/email", {"new_email": "nope"}).status_code == 422


def test_activity_log_shows_own_events_with_device_paginated_without_tokens(user_client, auth, make_client, dbs):
    ann_id = user_client.user.id
    for number in range(30):
        dbs.add(AuditEvent(user_id=ann_id, actor=f"user:{ann_id}", action="sign_in", details={"method": "code"},
                           ip=f"198.51.100.{number}",
                           user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
                                      "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"))
    dbs.commit()
    auth.sign_up(make_client(), "bob@example.com", "Bob")
    page = user_client.get("/account/activity-log").get_data(as_text=True)
    assert "Signed in (by code)" in page and "Safari 17 on iPhone" in page and "198.51.100.29" in page
    assert "Page 1 of 2" in page and "bob@example.com" not in page
    second = user_client.htmx_get("/account/activity-log?page=2", target="activity-log")
    text = second.get_data(as_text=True)
    assert "Page 2 of 2" in text and "<html" not in text and "Account created" in text
    assert user_client.get("/account/activity-log?page=99").status_code == 200
    tokens = dbs.execute(select(AuditEvent.details)).scalars().all()
    assert not any(key in str(details) for details in tokens for key in ("token", "code_hash"))


@pytest.mark.parametrize("agent, expected", [
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 "
     "Safari/537.36 Edg/126.0.2592.87", "Edge 126 on Windows"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/126.0.0.0 Safari/537.36", "Chrome 126 on macOS"),
    ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile "
     "Safari/537.36", "Chrome 126 on Android"),
    ("Werkzeug/3.1.3", "Werkzeug"),
    ("", "Unknown device"),
    (None, "Unknown device"),
])
def test_describe_device(agent, expected):
    assert describe_device(agent) == expected
