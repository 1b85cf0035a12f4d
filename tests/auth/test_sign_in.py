"""Sign-up, sign-in by link and by code, sign-out, through the real pages and a real SMTP server."""
from __future__ import annotations

from sqlalchemy import select

from app.audit import AuditEvent
from app.auth.models import SignInToken, User
from tests.mailbox import body, sign_in_code, sign_in_link


def test_new_address_gets_welcome_form_then_dashboard(client, auth, dbs):
    user = auth.sign_up(client, "new@example.com", "New Person", "America/Denver")
    assert user.name == "New Person" and user.time_zone == "America/Denver"
    assert user.age_confirmed_at is not None and user.terms_accepted_at is not None
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Start with your first license" in page
    actions = dbs.scalars(select(AuditEvent.action).where(AuditEvent.user_id == user.id)).all()
    assert {"account_created", "sign_in"} <= set(actions)


def test_welcome_requires_age_and_terms(client, auth, dbs):
    code = auth.request_code(client, "young@example.com")
    client.post_form("/sign-in/code", {"code": code})
    response = client.post_form("/welcome", {"name": "Y", "time_zone": "America/Chicago"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "18 or over" in page and "Accept the terms" in page
    assert dbs.scalar(select(User).where(User.email == "young@example.com")) is None


def test_link_opens_confirm_page_and_post_signs_in(client, auth, mailbox):
    auth.sign_up(client, "ann@example.com")
    client.post_form("/sign-out")
    mailbox.clear()
    client.post_form("/sign-in", {"email": "ann@example.com"})
    auth.run_jobs()
    link = sign_in_link(mailbox.wait_for("ann@example.com"))
    path = link.split("cetracker.test", 1)[1]
    page = client.get(path)
    assert page.status_code == 200 and "Press the button" in page.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 303  # the GET consumed nothing and signed in no one
    response = client.post_form(path)
    assert response.status_code == 303 and response.headers["Location"] == "/dashboard"
    assert client.get("/dashboard").status_code == 200


def test_mail_has_link_code_and_expiry(client, auth, mailbox):
    auth.request_code(client, "ann@example.com")
    message = mailbox.wait_for("ann@example.com")
    text = body(message)
    assert sign_in_link(message).startswith("https://cetracker.test/sign-in/")
    assert len(sign_in_code(message)) == 6
    assert "15 minutes" in text


def test_sign_out_ends_session(user_client):
    response = user_client.post_form("/sign-out")
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert user_client.get("/dashboard").status_code == 303


def test_wrong_code_counts_down_and_audits(client, auth, dbs):
    auth.request_code(client, "ann@example.com")
    response = client.post_form("/sign-in/code", {"code": "000000"})
    assert response.status_code == 422
    assert "4 tries left" in response.get_data(as_text=True)
    assert dbs.scalar(select(AuditEvent).where(AuditEvent.action == "sign_in_code_failed")) is not None


def test_malformed_code_and_email_are_422(client):
    assert client.post_form("/sign-in", {"email": "not-an-address"}).status_code == 422
    assert client.post_form("/sign-in/code", {"code": "12ab"}).status_code == 422


def test_existing_user_signs_in_by_code(client, auth, make_client):
    auth.sign_up(client, "ann@example.com", "Ann")
    other = make_client()
    user = auth.sign_in(other, "ann@example.com")
    page = other.get("/dashboard").get_data(as_text=True)
    assert "Hello, Ann" in page and user.last_sign_in_at is not None


def test_token_rows_hold_only_digests(client, auth, dbs, mailbox):
    code = auth.request_code(client, "ann@example.com")
    link = sign_in_link(mailbox.wait_for("ann@example.com"))
    token = link.rsplit("/", 1)[1]
    row = dbs.scalar(select(SignInToken))
    values = " ".join(str(getattr(row, c.name)) for c in SignInToken.__table__.columns)
    assert token not in values and code not in values
    assert len(row.token_hash) == 64 and len(row.code_hash) == 64


def test_address_with_spaces_and_capitals_reaches_the_same_account(client, auth, make_client, mailbox):
    auth.sign_up(client, "ann@example.com")
    phone = make_client()
    mailbox.clear()
    assert phone.post_form("/sign-in", {"email": " Ann@Example.com "}).status_code == 303
    auth.run_jobs()
    code = sign_in_code(mailbox.wait_for("ann@example.com"))
    assert phone.post_form("/sign-in/code", {"code": code}).headers["Location"] == "/dashboard"
