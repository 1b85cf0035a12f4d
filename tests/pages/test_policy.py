"""Policy versions: /privacy shows the one in force; a change is announced 7 days ahead by mail
and by an in-app notice that stays until dismissed (remembered on the server)."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from app.pages.models import PolicyNotice, PolicyVersion
from tests.account.seed import make_user
from tests.mailbox import body


def _publish(app, *args):
    return app.test_cli_runner().invoke(args=["policy", "publish", *args])


def test_privacy_falls_back_to_settings_then_shows_the_version_in_force(client, app, dbs):
    page = client.get("/privacy").get_data(as_text=True)
    assert "Effective: 2026-05-11 · Version 1.0" in page
    dbs.add(PolicyVersion(kind="privacy", version="1.1", effective_on=date.today() - timedelta(days=1),
                          summary="Clearer words."))
    dbs.add(PolicyVersion(kind="privacy", version="2.0", effective_on=date.today() + timedelta(days=9),
                          summary="A new provider."))
    dbs.commit()
    page = client.get("/privacy").get_data(as_text=True)
    assert f"Effective: {date.today() - timedelta(days=1):%Y-%m-%d} · Version 1.1" in page
    assert "Version 2.0 takes effect on" in page and "A new provider." in page
    assert "Version 1.0" in client.get("/terms").get_data(as_text=True)


def test_publishing_needs_seven_days_notice(app, dbs):
    soon = (datetime.now(UTC).date() + timedelta(days=6)).isoformat()
    result = _publish(app, "--kind", "privacy", "--version", "1.1", "--effective", soon, "--summary", "x")
    assert result.exit_code != 0 and "at least 7 days ahead" in result.output
    assert dbs.scalar(select(PolicyVersion)) is None


def test_publishing_mails_every_active_user_and_shows_a_notice_until_dismissed(
        app, dbs, user_client, auth, make_client, mailbox, run_jobs):
    gone = make_user(dbs, "gone@example.com", deleted_at=datetime.now(UTC), purge_after=datetime.now(UTC))
    assert gone.id
    bob = make_client()
    auth.sign_up(bob, "bob@example.com", "Bob")
    mailbox.clear()
    effective = datetime.now(UTC).date() + timedelta(days=7)
    result = _publish(app, "--kind", "privacy", "--version", "1.1", "--effective", effective.isoformat(),
                      "--summary", "We add a new e-mail provider.")
    assert result.exit_code == 0, result.output
    assert _publish(app, "--kind", "privacy", "--version", "1.1", "--effective", effective.isoformat(),
                    "--summary", "again").exit_code != 0
    run_jobs()
    for address in ("ann@example.com", "bob@example.com"):
        text = body(mailbox.wait_for(address))
        assert "We add a new e-mail provider." in text and "https://cetracker.test/privacy" in text
    assert mailbox.to("gone@example.com") == []
    item = dbs.scalar(select(PolicyVersion))
    assert item.mailed_at is not None
    run_jobs()  # running the announcement again mails no one twice
    from app.pages.policy import mail_announcement
    with app.app_context():
        assert mail_announcement(item.id) == 0

    page = user_client.get("/dashboard").get_data(as_text=True)
    assert 'id="policy-notice"' in page and "We add a new e-mail provider." in page
    assert re.search(r"Our privacy policy\s+change on", page)
    response = user_client.post_form(f"/notices/{item.id}/dismiss", {"next": "/account"})
    assert response.status_code == 303 and response.headers["Location"] == "/account"
    assert 'id="policy-notice"' not in user_client.get("/dashboard").get_data(as_text=True)
    other_browser = make_client()
    auth.sign_in(other_browser, "ann@example.com")
    assert 'id="policy-notice"' not in other_browser.get("/dashboard").get_data(as_text=True)
    assert 'id="policy-notice"' in bob.get("/account").get_data(as_text=True)
    response = bob.post_form(f"/notices/{item.id}/dismiss", htmx=True, target="policy-notice")
    assert response.status_code == 200 and response.get_data(as_text=True) == ""
    assert dbs.scalar(select(PolicyNotice).where(PolicyNotice.user_id == user_client.user.id)) is not None
    assert len(user_client.get("/dashboard").headers.getlist("Set-Cookie")) <= 1


def test_no_notice_for_a_change_older_than_the_account_or_for_visitors(client, app, dbs, auth):
    dbs.add(PolicyVersion(kind="terms", version="0.9", effective_on=date.today() - timedelta(days=3),
                          summary="Old news."))
    dbs.commit()
    assert 'id="policy-notice"' not in client.get("/privacy").get_data(as_text=True)
    auth.sign_up(client, "new@example.com")
    assert 'id="policy-notice"' not in client.get("/dashboard").get_data(as_text=True)


def test_dismissing_an_unknown_notice_is_404(user_client):
    assert user_client.post_form("/notices/999/dismiss").status_code == 404
