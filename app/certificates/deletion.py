"""Deleting certificates, alone or with their activity, and removing blobs nothing refers to.

A row goes first (committed), its files after: a blob is removed only under its lock, once a
fresh connection confirms that no certificate row refers to it. A crash between the two steps
leaves an unreferenced blob or a stale pending file, which the clean-up sweep removes later.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from redis.exceptions import RedisError
from sqlalchemy import delete, func, select, update

from app import audit, db
from app.certificates.locks import Busy, blob_lock
from app.certificates.models import Certificate
from app.certificates.storage import current_store, is_sha256

log = logging.getLogger(__name__)


def delete_certificate(user, certificate: Certificate) -> None:
    """Deletes the row, then its pending file, then its blob if no other row refers to it."""
    row = db.session.execute(
        delete(Certificate).where(Certificate.id == certificate.id, Certificate.user_id == user.id)
        .returning(Certificate.sha256, Certificate.pending_name)
        .execution_options(synchronize_session=False)).first()
    audit.record(f"user:{user.id}", "certificate_deleted", f"certificate:{certificate.id}", user_id=user.id)
    db.session.commit()
    db.session.expunge(certificate)
    if row is not None:
        remove_files(row.sha256, row.pending_name)


@dataclass
class Released:
    """What release_for_activity did; `remove_files()` is for after the caller's commit."""

    count: int = 0
    deleted: bool = False
    files: list[tuple[str | None, str | None]] = field(default_factory=list)

    def remove_files(self) -> None:
        for sha256, pending_name in self.files:
            remove_files(sha256, pending_name)
        self.files = []


def release_for_activity(activity_id: int, *, delete_certificates: bool = False) -> Released:
    """Called by the activities package before it deletes an activity, in its transaction.

    By default the certificates stay in the account, detached from the activity. With
    delete_certificates=True their rows are deleted (with an audit event each); the caller
    commits, then calls `remove_files()` so that each blob goes when nothing else refers to it.
    """
    if not delete_certificates:
        result = db.session.execute(
            update(Certificate).where(Certificate.activity_id == activity_id).values(activity_id=None)
            .execution_options(synchronize_session=False))
        return Released(count=result.rowcount)
    rows = db.session.execute(
        delete(Certificate).where(Certificate.activity_id == activity_id)
        .returning(Certificate.id, Certificate.user_id, Certificate.sha256, Certificate.pending_name)
        .execution_options(synchronize_session=False)).all()
    for row in rows:
        audit.record(f"user:{row.user_id}", "certificate_deleted", f"certificate:{row.id}", user_id=row.user_id,
                     with_activity=activity_id)
    return Released(count=len(rows), deleted=True, files=[(row.sha256, row.pending_name) for row in rows])


def certificate_count(user_id: int, activity_id: int) -> int:
    """How many of the user's certificates are attached to the activity (for its delete page)."""
    return db.session.scalar(select(func.count()).select_from(Certificate).where(
        Certificate.user_id == user_id, Certificate.activity_id == activity_id))


def remove_files(sha256: str | None, pending_name: str | None) -> None:
    current_store().remove_pending(pending_name)
    if sha256:
        remove_unreferenced_blob(sha256)


def remove_unreferenced_blob(sha256: str, *, wait: float = 5) -> bool:
    """Removes a blob when no certificate row refers to it; True when it was removed.

    Runs under the blob's lock, so a hashing job cannot move the same bytes into place in
    between. When the lock cannot be had (Redis down, or busy) the blob stays: the clean-up
    sweep removes it later.
    """
    if not is_sha256(sha256):
        raise ValueError("not a SHA-256 hex digest")
    try:
        with blob_lock(sha256, wait=wait):
            return remove_if_unreferenced_locked(sha256)
    except (Busy, RedisError) as exc:
        log.info("blob %s left for the clean-up sweep (%s)", sha256[:12], exc.__class__.__name__)
        return False


def blob_is_referenced(sha256: str) -> bool:
    """Asked on a connection of its own, so that it sees every commit up to now."""
    with db.engine().connect() as connection:
        return connection.scalar(
            select(Certificate.id).where(Certificate.sha256 == sha256).limit(1)) is not None


def remove_if_unreferenced_locked(sha256: str) -> bool:
    """The removal itself; the caller holds the blob's lock."""
    if blob_is_referenced(sha256):
        return False
    removed = current_store().delete(sha256)
    if removed:
        log.info("removed unreferenced blob %s", sha256[:12])
    return removed
