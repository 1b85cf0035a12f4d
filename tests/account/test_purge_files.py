"""The purge and files: a blob busy under its lock is kept for the next run, uploads not yet hashed
go with the account, and the window can be shortened through the service the support console calls."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.account import deletion
from app.account.models import AccountPurge
from app.audit import AuditEvent
from app.auth.models import User
from app.certificates.locks import blob_lock
from tests.account.seed import blob_file, make_user, seed_everything

NOW = datetime.now(UTC)


def _deleted(dbs, email: str) -> User:
    return make_user(dbs, email, deleted_at=NOW - timedelta(days=31), purge_after=NOW - timedelta(days=1))


def test_a_blob_locked_by_a_hashing_job_is_left_listed_and_removed_by_the_next_run(app, dbs):
    user = _deleted(dbs, "gone@example.com")
    seeded = seed_everything(dbs, app, user, "gone")
    user_id, busy = user.id, seeded.blobs[0]
    root = app.config["CERTIFICATE_ROOT"]
    with app.app_context():
        with blob_lock(busy, wait=1):  # another process holds the blob (e.g. storing the same bytes)
            report = deletion.purge_due()
        assert list(report.purged) == [user_id]
        dbs.expire_all()
        assert dbs.get(User, user_id) is None
        leftover = dbs.scalar(select(AccountPurge))
        assert leftover.account_id == user_id and leftover.blobs == [busy]
        assert blob_file(root, busy).exists()
        assert not any(blob_file(root, sha).exists() for sha in seeded.blobs[1:])
        assert not any(path.exists() for path in seeded.pending_uploads)
        again = deletion.purge_due()
    assert again.leftovers_finished == 1
    dbs.expire_all()
    assert dbs.scalar(select(AccountPurge)) is None
    assert not blob_file(root, busy).exists()


def test_the_dry_run_lists_uploads_not_yet_stored(app, dbs):
    seeded = seed_everything(dbs, app, _deleted(dbs, "gone@example.com"), "gone")
    result = app.test_cli_runner().invoke(args=["accounts", "purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert f"upload {seeded.pending_uploads[0].name} (received, not yet stored)" in result.output
    assert seeded.pending_uploads[0].exists()


def test_support_console_shortens_a_window_through_the_service(app, dbs):
    user = make_user(dbs, "ann@example.com", deleted_at=NOW, purge_after=NOW + timedelta(days=30))
    user_id = user.id
    with app.app_context():
        changed = deletion.shorten_purge_window(user_id, 3, "ticket 77: written request", actor="support:12")
        assert changed.purge_after == changed.deleted_at + timedelta(days=3)
        with pytest.raises(deletion.AccountError, match="would not shorten"):
            deletion.shorten_purge_window(user_id, 5, "again", actor="support:12")
        with pytest.raises(deletion.AccountError, match="reason"):
            deletion.shorten_purge_window(user_id, 1, "  ", actor="support:12")
        with pytest.raises(deletion.AccountError, match="who"):
            deletion.shorten_purge_window(user_id, 1, "ticket 78", actor="")
        with pytest.raises(deletion.AccountError, match="no account"):
            deletion.shorten_purge_window(user_id + 999, 1, "ticket 79", actor="support:12")
    event = dbs.scalar(select(AuditEvent).where(AuditEvent.action == "purge_window_shortened"))
    assert event.actor == "support:12" and event.user_id == user_id
    assert event.details["reason"] == "ticket 77: written request" and event.details["days"] == 3


def test_the_cli_records_who_shortened_the_window(app, dbs):
    make_user(dbs, "ann@example.com", deleted_at=NOW, purge_after=NOW + timedelta(days=30))
    result = app.test_cli_runner().invoke(args=["accounts", "shorten-window", "ann@example.com", "--days", "0",
                                                "--reason", "ticket 80", "--by", "support:jo"])
    assert result.exit_code == 0, result.output
    event = dbs.scalar(select(AuditEvent).where(AuditEvent.action == "purge_window_shortened"))
    assert event.actor == "support:jo"
