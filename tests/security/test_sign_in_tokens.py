"""Sign-in links and codes: single use, 15 minutes to the second, bound to the asking browser,
five tries, only digests stored, and the same answer whether or not an address has an account."""
from __future__ import annotations

import io
import logging
import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from app.auth.models import SignInToken
from app.extensions import queue
from app.logs import JsonFormatter
from app.models import Base
from tests.mailbox import body, sign_in_code, sign_in_link


def request_mail(client, auth, mailbox, email="ann@example.com"):
    """Asks for a sign-in mail; returns (link path, code) read from the delivered mail."""
    mailbox.clear()
    assert client.post_form("/sign-in", {"email": email}).status_code == 303
    auth.run_jobs()
    message = mailbox.wait_for(email)
    return sign_in_link(message).split("cetracker.test", 1)[1], sign_in_code(message)


def signed_in(client) -> bool:
    return client.get("/dashboard").status_code == 200


def test_link_works_once(client, auth, mailbox, make_client):
    auth.sign_up(client, "ann@example.com")
    browser = make_client()
    path, _ = request_mail(browser, auth, mailbox)
    assert browser.post_form(path).headers["Location"] == "/dashboard"
    assert signed_in(browser)
    again = make_client()
    assert again.get(path).status_code == 410
    response = again.post_form(path)
    assert response.status_code == 410 and "no longer works" in response.get_data(as_text=True)
    assert not signed_in(again)


def test_code_works_once(client, auth, mailbox):
    auth.sign_up(client, "ann@example.com")
    client.post_form("/sign-out")
    _, code = request_mail(client, auth, mailbox)
    assert client.post_form("/sign-in/code", {"code": code}).headers["Location"] == "/dashboard"
    client.post_form("/sign-out")
    response = client.post_form("/sign-in/code", {"code": code})
    assert response.status_code == 422
    assert not signed_in(client)


def test_a_used_code_voids_the_link_and_a_used_link_voids_the_code(client, auth, mailbox, make_client):
    auth.sign_up(client, "ann@example.com")
    first = make_client()
    path, code = request_mail(first, auth, mailbox)
    assert first.post_form("/sign-in/code", {"code": code}).status_code == 303
    assert make_client().post_form(path).status_code == 410

    second = make_client()
    path, code = request_mail(second, auth, mailbox)
    assert make_client().post_form(path).status_code == 303
    assert second.post_form("/sign-in/code", {"code": code}).status_code == 422
    assert not signed_in(second)


@pytest.mark.parametrize("method", ["link", "code"])
@pytest.mark.parametrize(("elapsed", "works"), [(timedelta(minutes=14, seconds=59), True),
                                                 (timedelta(minutes=15), False)], ids=["14:59", "15:00"])
def test_expiry_at_the_edge(client, auth, mailbox, dbs, method, elapsed, works):
    auth.sign_up(client, "ann@example.com")
    client.post_form("/sign-out")
    path, code = request_mail(client, auth, mailbox)
    issued = dbs.scalar(select(SignInToken).where(SignInToken.used_at.is_(None),
                                                  SignInToken.voided_at.is_(None)))
    token = client.csrf_token()
    with time_machine.travel(issued.created_at + elapsed, tick=False):
        if method == "link":
            response = client.post(path, data={"csrf_token": token})
        else:
            response = client.post("/sign-in/code", data={"csrf_token": token, "code": code})
        # checked at the same instant: a cookie signed "in the future" is refused once back in real time
        assert signed_in(client) is works
    if works:
        assert response.status_code == 303 and response.headers["Location"] == "/dashboard"
    else:
        assert response.status_code == (410 if method == "link" else 422)
        assert "/dashboard" not in response.headers.get("Location", "")


def all_rows_as_text(dbs) -> str:
    parts = []
    for table in Base.metadata.sorted_tables:
        for row in dbs.execute(select(table)).all():
            parts.extend(str(value) for value in row)
    return "\n".join(parts)


def test_only_digests_reach_database_logs_and_job_descriptions(client, auth, mailbox, dbs, app, make_client):
    """Digests in the rows; nothing in the logs (formatted as production does) or RQ job descriptions."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(lambda record: not record.name.startswith("mail.log"))  # the test SMTP server's own log
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        mailbox.clear()
        client.post_form("/sign-in", {"email": "ann@example.com"})
        with app.app_context():
            descriptions = [job.description for job in queue("default").jobs]
        auth.run_jobs()
        message = mailbox.wait_for("ann@example.com")
        link, code = sign_in_link(message), sign_in_code(message)
        token = link.rsplit("/", 1)[1]
        path = "/sign-in/" + token
        stranger = make_client()
        stranger.get(path)
        stranger.post(path, data={})  # no CSRF token: refused, and Flask-WTF logs why
        client.post_form("/sign-in/code", {"code": code})
        client.post_form("/welcome", {"name": "Ann", "time_zone": "America/Chicago", "adult": "y", "accept": "y"})
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    assert descriptions == ["sign-in mail"]
    logged = stream.getvalue()
    assert "sign-in/<token>" in logged  # the CSRF refusal was logged, with the route instead of the path
    assert token not in logged and code not in logged
    stored = all_rows_as_text(dbs)
    assert token not in stored and code not in stored
    row = dbs.scalar(select(SignInToken))
    assert len(row.token_hash) == len(row.code_hash) == len(row.browser_hash) == 64


def test_a_new_request_voids_older_ones(client, auth, mailbox, make_client):
    auth.sign_up(client, "ann@example.com")
    client.post_form("/sign-out")
    old_path, old_code = request_mail(client, auth, mailbox)
    other = make_client()
    new_path, new_code = request_mail(other, auth, mailbox)  # the same address, from another browser
    assert make_client().get(old_path).status_code == 410
    response = client.post_form("/sign-in/code", {"code": old_code})
    assert response.status_code == 422 and "no longer works" in response.get_data(as_text=True)
    assert make_client().get(new_path).status_code == 200
    assert other.post_form("/sign-in/code", {"code": new_code}).status_code == 303


def test_code_only_works_in_the_browser_that_asked(client, auth, mailbox, make_client):
    auth.sign_up(client, "ann@example.com")
    asking = make_client()
    _, code = request_mail(asking, auth, mailbox)
    thief = make_client()
    response = thief.post_form("/sign-in/code", {"code": code})
    assert response.status_code == 422 and not signed_in(thief)
    thief_with_own_request = make_client()
    request_mail(thief_with_own_request, auth, mailbox, "mallory@example.com")
    assert thief_with_own_request.post_form("/sign-in/code", {"code": code}).status_code == 422
    assert asking.post_form("/sign-in/code", {"code": code}).status_code == 303


def test_five_wrong_codes_void_the_request(client, auth, mailbox, dbs, make_client):
    auth.sign_up(client, "ann@example.com")
    client.post_form("/sign-out")
    path, code = request_mail(client, auth, mailbox)
    wrong = "000000" if code != "000000" else "111111"
    messages = []
    for _ in range(5):
        response = client.post_form("/sign-in/code", {"code": wrong})
        assert response.status_code == 422
        messages.append(response.get_data(as_text=True))
    assert "4 tries left" in messages[0] and "1 try left" in messages[3]
    assert "no longer works" in messages[4]
    assert client.post_form("/sign-in/code", {"code": code}).status_code == 422
    assert make_client().get(path).status_code == 410
    assert not signed_in(client)
    row = dbs.scalar(select(SignInToken).where(SignInToken.used_at.is_(None)).order_by(SignInToken.id.desc()))
    assert row.code_attempts == 5 and row.voided_at is not None


def test_known_and_unknown_addresses_get_the_same_answer(client, auth, mailbox, make_client):
    auth.sign_up(client, "ann@example.com")
    answers = []
    for email in ["ann@example.com", "nobody@example.com"]:
        browser = make_client()
        response = browser.post_form("/sign-in", {"email": email})
        page = browser.get(response.headers["Location"])
        answers.append((response.status_code, response.headers["Location"], response.get_data(),
                        sorted(h.split("=", 1)[0] for h in response.headers.getlist("Set-Cookie")),
                        page.status_code, without_csrf_token(page.get_data(as_text=True))))
    assert answers[0] == answers[1]


def without_csrf_token(page: str) -> str:
    """Each browser has its own CSRF token; everything else must be identical."""
    return re.sub(r'(name="csrf_token" type="hidden" value=")[^"]+', r"\1", page)


def test_mailed_link_ignores_the_request_host(client, auth, mailbox):
    mailbox.clear()
    evil = "http://evil.example"
    page = client.get("/sign-in", base_url=evil).get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    response = client.post("/sign-in", base_url=evil, headers={"X-Forwarded-Host": "evil.example"},
                           data={"csrf_token": token, "email": "ann@example.com"})
    assert response.status_code == 303
    auth.run_jobs()
    text = body(mailbox.wait_for("ann@example.com"))
    assert sign_in_link(mailbox.wait_for("ann@example.com")).startswith("https://cetracker.test/sign-in/")
    assert "evil.example" not in text


def test_the_daily_clean_up_deletes_requests_a_day_past_expiry_and_keeps_live_ones(app, client, dbs, run_jobs):
    def clean_up():
        with app.app_context():
            queue("low").enqueue("jobs.maintenance.delete_spent_sign_in_tokens")
        run_jobs()
    client.post_form("/sign-in", {"email": "visitor@example.com"})  # never signs up
    run_jobs()
    spent = dbs.scalar(select(SignInToken).where(SignInToken.email == "visitor@example.com"))
    with time_machine.travel(spent.expires_at + timedelta(hours=23), tick=False):
        clean_up()
    dbs.expire_all()
    assert dbs.get(SignInToken, spent.id) is not None  # not yet a day past its expiry
    with time_machine.travel(spent.expires_at + timedelta(days=1, seconds=1), tick=False):
        client.post_form("/sign-in", {"email": "fresh@example.com"})  # a live request, made "now"
        clean_up()
    dbs.expire_all()
    assert [t.email for t in dbs.scalars(select(SignInToken))] == ["fresh@example.com"]
