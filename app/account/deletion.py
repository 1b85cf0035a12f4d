"""Deleting an account (hidden at once, restorable for PURGE_AFTER_DAYS) and purging it afterwards.

Deletion only marks the user: every query for user data goes through the signed-in user, whom
the session loader refuses once deleted_at is set, so everything vanishes at once and a restore
(app.auth.lifecycle.restore_account) brings all of it back.

The purge removes an account whose window has passed, one account per transaction:
1. lock the user row (SELECT ... FOR UPDATE on PostgreSQL; a write first on SQLite), check again
   that it is still deleted and due (a restore a moment earlier wins), delete every row the
   registry in app.account.data lists, and record what is left outside the database (blobs,
   pending uploads, export files, and the Redis keys that the registry in app.user_keys finds)
   in an AccountPurge row, all in one commit;
2. remove those files and keys (a blob through the certificates service, only when no one else's
   certificate refers to it), then the AccountPurge row.
A crash in step 1 rolls back (the account is still due, the next run starts over); a crash in
step 2 leaves the AccountPurge row, which the next run finishes first. Running it twice is a no-op.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app import audit, db, user_keys
from app.account import data, files, mails
from app.account.models import AccountPurge, DataExport, EmailChange
from app.audit import AuditEvent
from app.auth.models import User
from app.auth.sessions import end_every_session
from app.auth.tokens import normalize_email
from app.certificates.models import Certificate
from app.db import utcnow
from app.extensions import redis

log = logging.getLogger(__name__)


class AccountError(Exception):
    """A request the account's state does not allow; the message is for the operator."""


def delete_account(user: User) -> datetime:
    """Hides the account and everything in it at once, ends every session, and says so by mail."""
    now = utcnow()
    user.deleted_at = now
    user.purge_after = now + timedelta(days=current_app.config["PURGE_AFTER_DAYS"])
    db.session.execute(update(EmailChange).where(
        EmailChange.user_id == user.id, EmailChange.used_at.is_(None), EmailChange.voided_at.is_(None))
        .values(voided_at=now))
    audit.record(f"user:{user.id}", "account_deleted", f"user:{user.id}", user_id=user.id,
                 purge_after=user.purge_after.isoformat())
    end_every_session(user)  # commits
    mails.send_later(user.email, "Your CE Tracker account is deleted", "mail/account_deleted.txt",
                     name=user.name, email=user.email, until=mails.local_date(user.purge_after, user.time_zone))
    return user.purge_after


def shorten_window(email: str, days: int, reason: str, *, actor: str = "support:cli") -> User:
    """`flask accounts shorten-window`: the account found by its address."""
    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        raise AccountError(f"no account with the address {email}")
    return shorten_purge_window(user.id, days, reason, actor=actor)


def shorten_purge_window(user_id: int, days: int, reason: str, *, actor: str) -> User:
    """On the user's written request, purge N days after the deletion instead (audited, with
    who did it and why). The support console calls this with actor="support:<staff id>".

    The event lands in the user's own activity log, so it names who did it (actor) but not the
    support person's address and device.
    """
    if days < 0:
        raise AccountError("days must be 0 or more")
    if not reason.strip():
        raise AccountError("give the reason (the user's written request)")
    if not actor.strip():
        raise AccountError("say who shortens the window")
    user = db.session.scalar(select(User).where(User.id == user_id).with_for_update())
    if user is None:
        raise AccountError(f"no account {user_id}")
    if user.deleted_at is None or user.purge_after is None:
        raise AccountError(f"{user.email} is not deleted; only a deleted account has a window to shorten")
    new_purge_after = user.deleted_at + timedelta(days=days)
    if new_purge_after >= user.purge_after:
        raise AccountError(f"that would not shorten the window (purge is due {user.purge_after:%Y-%m-%d %H:%M} UTC)")
    event = audit.record(actor, "purge_window_shortened", f"user:{user.id}", user_id=user.id,
                         reason=reason.strip(), days=days, old_purge_after=user.purge_after.isoformat(),
                         new_purge_after=new_purge_after.isoformat())
    event.ip = event.user_agent = None
    user.purge_after = new_purge_after
    db.session.commit()
    return user


# The purge -----------------------------------------------------------------------------------

@dataclass
class AccountPlan:
    """What purging one account removes (what `flask accounts purge --dry-run` prints)."""

    account_id: int
    email: str
    purge_after: datetime
    rows: dict[str, int]
    blobs: list[str]
    shared_blobs: list[str]
    pending_uploads: list[str]
    export_files: list[str]
    redis_keys: list[str]


@dataclass
class PurgeReport:
    purged: dict[int, dict[str, int]] = field(default_factory=dict)
    skipped: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    leftovers_finished: int = 0
    plans: list[AccountPlan] = field(default_factory=list)


def _new_session() -> Session:
    return current_app.extensions["db_sessionmaker"]()


def due_ids(session: Session, now: datetime, limit: int | None = None, exclude: set[int] | None = None) -> list[int]:
    query = (select(User.id).where(User.deleted_at.is_not(None), User.purge_after <= now)
             .order_by(User.purge_after, User.id))
    if exclude:
        query = query.where(User.id.not_in(exclude))
    if limit:
        query = query.limit(limit)
    return list(session.scalars(query))


def purge_due(now: datetime | None = None, *, batch_size: int | None = None, dry_run: bool = False) -> PurgeReport:
    """Purges every account whose window has passed, batch_size accounts at a time."""
    now = now or utcnow()
    batch_size = batch_size or current_app.config["PURGE_BATCH_SIZE"]
    report = PurgeReport()
    if dry_run:
        with _new_session() as session:
            report.plans = [plan(session, user_id) for user_id in due_ids(session, now)]
        return report
    report.leftovers_finished = finish_leftovers()
    done: set[int] = set()
    while True:
        with _new_session() as session:
            batch = due_ids(session, now, batch_size, exclude=done)
        if not batch:
            return report
        for user_id in batch:
            done.add(user_id)
            try:
                counts = purge_account(user_id, now)
            except Exception:  # one account failing must not stop the others; it stays due
                log.exception("purge of account %s failed; the next run tries again", user_id)
                report.failed.append(user_id)
                continue
            if counts is None:
                report.skipped.append(user_id)
            else:
                report.purged[user_id] = counts


def _lock_user(session: Session, user_id: int) -> User | None:
    """The user row, locked until this transaction ends, read fresh from the database."""
    if session.get_bind().dialect.name == "sqlite":
        # SQLite has no row locks: a write takes the database's write lock for the transaction.
        session.execute(update(User).where(User.id == user_id).values(purge_after=User.purge_after))
        return session.scalar(select(User).where(User.id == user_id).execution_options(populate_existing=True))
    return session.scalar(select(User).where(User.id == user_id).with_for_update()
                          .execution_options(populate_existing=True))


def _still_due(user: User | None, now: datetime) -> bool:
    return user is not None and user.deleted_at is not None and user.purge_after is not None \
        and user.purge_after <= now


def purge_account(user_id: int, now: datetime) -> dict[str, int] | None:
    """Deletes one account's rows in one transaction, then its files and keys; None if not due."""
    with _new_session() as session:
        with session.begin():
            user = _lock_user(session, user_id)
            if not _still_due(user, now):
                return None
            leftovers = _leftovers(session, user)
            counts = {}
            for item in reversed(data.user_tables()):
                result = session.execute(delete(item.table).where(data.condition(item, user.id, user.email)))
                counts[item.name] = result.rowcount
            purge = AccountPurge(account_id=user_id, counts=counts, **leftovers)
            session.add(purge)
            session.add(AuditEvent(actor="system", action="account_purged", subject=None, user_id=None,
                                   details={"account": user_id, "rows": sum(counts.values())}))
        purge_id = purge.id
    finish(purge_id)
    return counts


def _leftovers(session: Session, user: User) -> dict[str, list[str]]:
    """What the account has outside the database, found while its rows are still there."""
    certificates = session.execute(select(Certificate.sha256, Certificate.pending_name).where(
        Certificate.user_id == user.id)).all()
    exports = list(session.scalars(select(DataExport.id).where(DataExport.user_id == user.id)))
    patterns, keys = user_keys.collect(session, user.id, user.email)
    return {"blobs": sorted({row.sha256 for row in certificates if row.sha256}),
            "pending_uploads": sorted({row.pending_name for row in certificates if row.pending_name}),
            "export_files": exports, "redis_patterns": patterns, "redis_keys": keys}


def _matching_keys(connection, patterns: list[str]) -> set[bytes]:
    return {key for pattern in patterns for key in connection.scan_iter(match=pattern, count=1000)}


def finish(purge_id: int) -> bool:
    """Removes what an AccountPurge lists outside the database; safe to run again after a crash.

    True when done (the AccountPurge row is gone). A blob whose lock was busy stays listed, and
    the row with it, for the next run.
    """
    with _new_session() as session:
        purge = session.get(AccountPurge, purge_id)
        if purge is None:
            return True
        for name in purge.pending_uploads:
            files.remove_pending_upload(name)
        for export_id in purge.export_files:
            files.remove_export_file(export_id)
        files.remove_packet_files(purge.account_id)
        connection = redis()
        keys = _matching_keys(connection, purge.redis_patterns) | {key.encode() for key in purge.redis_keys}
        if keys:
            connection.delete(*keys)
        for sha256 in purge.blobs:
            files.remove_blob_if_unreferenced(sha256)
        left = [sha256 for sha256 in purge.blobs if files.blob_left_behind(sha256)]
        if left:
            log.warning("purge %s: %d blob(s) busy, left for the next run", purge_id, len(left))
            purge.blobs, purge.pending_uploads, purge.export_files = left, [], []
            purge.redis_patterns, purge.redis_keys = [], []
            session.commit()
            return False
        session.delete(purge)
        session.commit()
        return True


def finish_leftovers() -> int:
    """Finishes purges that a crash (or a busy blob) interrupted after their rows were deleted."""
    with _new_session() as session:
        pending = list(session.scalars(select(AccountPurge.id).order_by(AccountPurge.id)))
    finished = 0
    for purge_id in pending:
        try:
            finished += finish(purge_id)
        except Exception:
            log.exception("finishing purge %s failed; the next run tries again", purge_id)
    return finished


def plan(session: Session, user_id: int) -> AccountPlan:
    """What a purge of this account would remove, changing nothing."""
    user = session.get(User, user_id)
    leftovers = _leftovers(session, user)
    shared = [sha for sha in leftovers["blobs"] if session.scalar(select(Certificate.id).where(
        Certificate.sha256 == sha, Certificate.user_id != user.id).limit(1)) is not None]
    connection = redis()
    keys = sorted({key.decode() for key in _matching_keys(connection, leftovers["redis_patterns"])}
                  | {key for key in leftovers["redis_keys"] if connection.exists(key)})
    return AccountPlan(
        account_id=user.id, email=user.email, purge_after=user.purge_after,
        rows={name: count for name, count in data.count_of(session, user.id, user.email).items() if count},
        blobs=[sha for sha in leftovers["blobs"] if sha not in shared and files.blob_path(sha).exists()],
        shared_blobs=shared,
        pending_uploads=[name for name in leftovers["pending_uploads"] if files.pending_upload_exists(name)],
        export_files=[e for e in leftovers["export_files"] if files.export_path(e).exists()],
        redis_keys=keys)
