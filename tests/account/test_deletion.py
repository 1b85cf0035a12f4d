"""Deleting an account through its page: hidden at once, every session ended, restorable by signing in."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import func, select

from app.account.models import DataExport
from app.activities.models import Activity
from app.audit import AuditEvent
from app.auth.models import User
from app.certificates.models import Certificate
from app.licenses.models import License, LicenseCycle
from app.tasks import JobRecord
from tests.account.seed import blob_file, seed_everything
from tests.account.traces import all_rows, files_under
from tests.mailbox import body


def _delete(client, email="ann@example.com"):
    return client.post_form("/account/delete", {"confirm_email": email})


def test_delete_page_explains_and_asks_for_the_address(user_client):
    page = user_client.get("/account/delete").get_data(as_text=True)
    assert "30 days" in page and "Type ann@example.com exactly." in page


def test_wrong_address_deletes_nothing(user_client, dbs):
    response = _delete(user_client, "someone@example.com")
    assert response.status_code == 422
    assert "Nothing was deleted" in response.get_data(as_text=True)
    assert dbs.get(User, user_client.user.id).deleted_at is None
    assert user_client.get("/account").status_code == 200


def test_htmx_wrong_address_gets_the_form_fragment(user_client):
    response = user_client.post_form("/account/delete", {"confirm_email": "x@example.com"}, htmx=True,
                                     target="delete-form")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert 'id="delete-form"' in text and "<html" not in text


def test_delete_hides_the_account_ends_every_session_and_mails_the_date(
        user_client, auth, make_client, dbs, mailbox, run_jobs):
    phone = make_client()
    auth.sign_in(phone, "ann@example.com")
    assert phone.get("/account").status_code == 200
    before = datetime.now(UTC)
    response = _delete(user_client, "ANN@example.com ")
    assert response.status_code == 303 and response.headers["Location"] == "/"
    user = dbs.get(User, user_client.user.id)
    assert before <= user.deleted_at <= datetime.now(UTC)
    assert user.purge_after == user.deleted_at + timedelta(days=30)
    until = user.purge_after.astimezone(ZoneInfo("America/Chicago")).strftime("%B %-d, %Y")
    home = user_client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "signed out everywhere" in home and until in home
    for client in (user_client, phone):
        for path in ("/account", "/dashboard", "/account/export", "/account/activity-log"):
            response = client.get(path)
            assert response.status_code == 303 and response.headers["Location"].startswith("/sign-in"), path
    run_jobs()
    text = body(mailbox.wait_for("ann@example.com"))
    assert "is deleted" in text and until in text and "/sign-in" in text
    assert dbs.scalar(select(AuditEvent).where(AuditEvent.action == "account_deleted")) is not None


def test_old_session_cookie_is_refused_after_deletion(user_client, make_client, app):
    cookie = user_client.get_cookie("session")
    _delete(user_client)
    thief = make_client()
    thief.set_cookie("session", cookie.value, domain=cookie.domain or "localhost")
    response = thief.get("/account")
    assert response.status_code == 303 and response.headers["Location"].startswith("/sign-in")


def test_deleted_users_urls_answer_404_to_everyone_else(user_client, auth, make_client, dbs, run_jobs):
    user_client.post_form("/account/export")
    run_jobs()
    export = dbs.scalar(select(DataExport))
    record = dbs.scalar(select(JobRecord))
    _delete(user_client)
    bob = make_client()
    auth.sign_up(bob, "bob@example.com", "Bob")
    for path in (f"/account/export/{export.id}/download", f"/jobs/{record.id}"):
        assert bob.get(path).status_code == 404, path
    assert bob.post_form(f"/account/export/{export.id}/download").status_code == 405


def test_signing_in_within_the_window_restores_every_record_and_file(user_client, auth, app, dbs, make_client):
    seeded = seed_everything(dbs, app, dbs.get(User, user_client.user.id), "ann")
    dbs.expire_all()
    before = all_rows(dbs)
    files_before = files_under(app.config["CERTIFICATE_ROOT"])
    start = datetime.now(UTC)
    with time_machine.travel(start, tick=False):
        _delete(user_client)
    with time_machine.travel(start + timedelta(days=29), tick=False):
        client = make_client()
        code = auth.request_code(client, "ann@example.com")
        response = client.post_form("/sign-in/code", {"code": code})
        assert response.headers["Location"] == "/welcome/restore"
        offer = client.get("/welcome/restore").get_data(as_text=True)
        assert "set to be deleted" in offer
        response = client.post_form("/welcome/restore")
        assert response.status_code == 303 and response.headers["Location"] == "/dashboard"
        assert client.get("/account").status_code == 200
    dbs.expire_all()
    user = dbs.get(User, user_client.user.id)
    assert user.deleted_at is None and user.purge_after is None
    after = all_rows(dbs)
    for table, rows in before.items():
        if table in {"users", "audit_events", "sign_in_tokens", "job_records", "email_changes"}:
            continue  # these record the deletion, the sign-in and the restore (deletion voids address changes)
        assert after[table] == rows, table
    assert len(after["email_changes"]) == len(before["email_changes"])
    assert len(after["audit_events"]) > len(before["audit_events"])
    assert files_under(app.config["CERTIFICATE_ROOT"]) >= files_before
    for sha in seeded.blobs:
        assert blob_file(app.config["CERTIFICATE_ROOT"], sha).exists()
    assert dbs.scalar(select(func.count()).select_from(Certificate)) == len(seeded.blobs) + 1
    actions = dbs.scalars(select(AuditEvent.action).where(AuditEvent.user_id == user.id)).all()
    assert {"account_deleted", "account_restored"} <= set(actions)


def test_after_deletion_no_page_shows_anything_of_the_account(user_client, auth, make_client, app, dbs):
    """Walks every GET route with the account's own ids: its old session is sent to sign in (or
    gets a public page without its data); another account gets 404 for each of its objects."""
    from tests.account.test_cookies import OTHER_VALUES, _urls
    user = dbs.get(User, user_client.user.id)
    seed_everything(dbs, app, user, "zed")
    values = {"record_id": dbs.scalar(select(JobRecord.id).where(JobRecord.user_id == user.id)),
              "activity_id": dbs.scalar(select(Activity.id).where(Activity.user_id == user.id)),
              "certificate_id": dbs.scalar(select(Certificate.id).where(Certificate.user_id == user.id)),
              "export_id": dbs.scalar(select(DataExport.id).where(DataExport.user_id == user.id)),
              "token": "t" * 43, **OTHER_VALUES,
              "license_id": dbs.scalar(select(License.id).where(License.user_id == user.id)),
              "cycle_id": dbs.scalar(select(LicenseCycle.id).join(License).where(License.user_id == user.id))}
    urls = _urls(app, values)
    assert user_client.get(f"/activities/{values['activity_id']}").status_code == 200
    _delete(user_client)
    bob = make_client()
    auth.sign_up(bob, "bob@example.com", "Bob")
    for url in urls:
        response = user_client.get(url)
        text = response.get_data(as_text=True)
        support_page = url.startswith("/support")  # answers 403 to anyone without the role
        assert response.status_code in (200, 302, 303, 404, 410) or (support_page and response.status_code == 403), url
        if response.status_code in (302, 303):
            assert response.headers["Location"].split("?")[0] in ("/", "/sign-in"), url
        assert "zed" not in text and "ann@example.com" not in text, url
        owned = ("record_id", "activity_id", "certificate_id", "export_id", "license_id")
        if not support_page and any(str(values[name]) in url for name in owned):
            assert bob.get(url).status_code == 404, url
