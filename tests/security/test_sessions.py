"""The one session cookie: cleared at sign-in, dead after sign-out in every browser, flagged right."""
from __future__ import annotations

import pytest
from sqlalchemy import update

from app.auth.models import User
from app.config import Config
from app.db import utcnow
from tests.mailbox import sign_in_link


def plant(client) -> None:
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
        session["_user_id"] = "999:1"


def session_keys(client) -> set[str]:
    with client.session_transaction() as session:
        return set(session)


def test_values_planted_before_sign_up_are_gone_after(client, auth):
    plant(client)
    auth.sign_up(client, "ann@example.com")
    assert "planted" not in session_keys(client)
    assert client.get("/dashboard").status_code == 200


def test_values_planted_before_sign_in_by_code_are_gone_after(client, auth, make_client):
    auth.sign_up(make_client(), "ann@example.com")
    plant(client)
    auth.sign_in(client, "ann@example.com")
    keys = session_keys(client)
    assert "planted" not in keys and not {"sign_in_browser", "sign_in_next"} & keys
    assert "Hello, Ann" in client.get("/dashboard").get_data(as_text=True)


def test_values_planted_before_sign_in_by_link_are_gone_after(client, auth, mailbox, make_client):
    auth.sign_up(make_client(), "ann@example.com")
    mailbox.clear()
    make_client().post_form("/sign-in", {"email": "ann@example.com"})
    auth.run_jobs()
    path = sign_in_link(mailbox.wait_for("ann@example.com")).split("cetracker.test", 1)[1]
    plant(client)
    assert client.post_form(path).status_code == 303
    assert "planted" not in session_keys(client)


def test_values_planted_before_a_restore_are_gone_after(client, auth, make_client, dbs):
    user = auth.sign_up(make_client(), "ann@example.com")
    dbs.execute(update(User).where(User.id == user.id).values(deleted_at=utcnow(), purge_after=utcnow()))
    dbs.commit()
    plant(client)
    code = auth.request_code(client, "ann@example.com")
    assert client.post_form("/sign-in/code", {"code": code}).headers["Location"] == "/welcome/restore"
    assert "planted" not in session_keys(client)
    plant(client)
    assert client.post_form("/welcome/restore").headers["Location"] == "/dashboard"
    assert "planted" not in session_keys(client)


def test_a_cookie_copied_before_sign_out_is_refused_after(user_client, make_client, auth):
    other_browser = make_client()
    auth.sign_in(other_browser, "ann@example.com")
    copied = user_client.get_cookie("session").value
    assert user_client.post_form("/sign-out").status_code == 303
    replay = make_client()
    replay.set_cookie("session", copied)
    assert replay.get("/dashboard").status_code == 303
    assert other_browser.get("/dashboard").status_code == 303  # the version bump ended it too
    assert user_client.get("/dashboard").status_code == 303


def cookie_problems(response, where: str) -> list[str]:
    problems = []
    for header in response.headers.getlist("Set-Cookie"):
        name = header.split("=", 1)[0]
        attributes = {part.strip().split("=", 1)[0].lower(): part.strip() for part in header.split(";")[1:]}
        if name != "session":
            problems.append(f"{where}: extra cookie {name}")
        if "httponly" not in attributes:
            problems.append(f"{where}: {name} without HttpOnly")
        if attributes.get("samesite", "").lower() != "samesite=lax":
            problems.append(f"{where}: {name} without SameSite=Lax")
        if "secure" not in attributes:
            problems.append(f"{where}: {name} without Secure")
    return problems


def test_one_cookie_with_its_flags_on_every_response(client, auth, mailbox, app, dbs):
    """A walk through every page a visitor and a user see, checking each Set-Cookie."""
    problems = []

    def visit(method, url, **kwargs):
        response = getattr(client, method)(url, **kwargs)
        problems.extend(cookie_problems(response, f"{method.upper()} {url}"))
        return response

    for url in ["/", "/privacy", "/terms", "/sign-in", "/sign-in/code", "/no-such-page", "/healthz"]:
        visit("get", url)
    token = client.csrf_token()
    visit("post", "/sign-in", data={"csrf_token": token, "email": "ann@example.com"})
    auth.run_jobs()
    message = mailbox.wait_for("ann@example.com")
    path = sign_in_link(message).split("cetracker.test", 1)[1]
    visit("get", "/sign-in/code")
    visit("post", "/sign-in/code", data={"csrf_token": token, "code": "12"})
    visit("get", path)
    visit("post", path, data={"csrf_token": token})
    visit("get", "/welcome")
    token = client.csrf_token()
    visit("post", "/welcome", data={"csrf_token": token, "name": "Ann", "time_zone": "America/Chicago",
                                    "adult": "y", "accept": "y"})
    for url in ["/dashboard", "/", "/privacy", "/sign-in", "/jobs/unknown"]:
        visit("get", url)
    visit("get", "/dashboard", headers={"HX-Request": "true"})
    visit("post", "/sign-out", data={})  # refused: no CSRF token
    token = client.get("/dashboard").get_data(as_text=True).split('name="csrf-token" content="', 1)[1].split('"')[0]
    visit("post", "/sign-out", data={"csrf_token": token})
    visit("get", "/dashboard")
    assert problems == []
    assert [cookie.key for cookie in client._cookies.values()] == ["session"]


@pytest.mark.parametrize(("env", "secure"), [("production", True), ("staging", True), ("development", False)])
def test_cookie_is_secure_outside_development(monkeypatch, env, secure):
    monkeypatch.setenv("APP_ENV", env)
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    config = Config()
    assert config.SESSION_COOKIE_SECURE is secure
    assert config.SESSION_COOKIE_HTTPONLY is True and config.SESSION_COOKIE_SAMESITE == "Lax"
