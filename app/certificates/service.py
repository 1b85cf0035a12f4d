"""Certificates as the user sees them: upload, the hashing job, download checks (deletion: deletion.py).

The life of an upload: the web process checks the file by content and keeps it as a pending
file in the staging area (a hard link, no copy), commits a `pending` row and enqueues the
hashing job. The job hashes the pending file, records the hash on the row, moves the file into
content-addressed storage with os.replace, hashes it again there, and marks the row verified.
Each step can be repeated: a job killed anywhere leaves either the pending file or a complete
blob, never half a blob at a final path, and running it again finishes the work.

Identical files share one blob. Nothing a user can see depends on that: the job does the same
work whether or not the blob was there, and every answer is about the user's own row.
"""
from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from redis.exceptions import RedisError
from rq import Retry
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import FileStorage

from app import audit, db, tasks, user_keys
from app.activities.models import Activity
from app.certificates import checks
from app.certificates.deletion import remove_if_unreferenced_locked
from app.certificates.locks import blob_lock
from app.certificates.models import Certificate
from app.certificates.names import clean_name
from app.certificates.storage import (
    CHUNK_SIZE,
    BlobCorrupt,
    BlobMissing,
    current_store,
    hash_file,
    hash_stream,
)
from app.db import utcnow

log = logging.getLogger(__name__)

STORE_JOB = "jobs.certificates.store"
LOCK_WAIT_SECONDS = 60
DAMAGE_MESSAGES = {
    "corrupt": "The stored copy no longer matches the file you uploaded, so it is not served. "
               "Please upload the certificate again.",
    "missing": "The stored copy of this file is gone. Please upload the certificate again.",
}
STORE_FAILED_MESSAGE = "The file could not be stored safely. Please upload the certificate again."
LOST_MESSAGE = "This upload was lost before it could be stored. Please upload the certificate again."


class TooLarge(Exception):
    """The file is over MAX_UPLOAD_MB."""


class Damaged(Exception):
    """A certificate's stored bytes failed their check; `kind` is corrupt or missing."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


# --- reading -------------------------------------------------------------------------------------

def owned_certificate(user_id: int, certificate_id: int) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(
        Certificate.id == certificate_id, Certificate.user_id == user_id))


def user_certificates(user_id: int) -> list[Certificate]:
    return list(db.session.scalars(
        select(Certificate).where(Certificate.user_id == user_id)
        .options(selectinload(Certificate.activity))
        .order_by(Certificate.created_at.desc(), Certificate.id.desc())))


def activity_certificates(user_id: int, activity_id: int) -> list[Certificate]:
    return list(db.session.scalars(
        select(Certificate).where(Certificate.user_id == user_id, Certificate.activity_id == activity_id)
        .order_by(Certificate.created_at.desc(), Certificate.id.desc())))


# --- upload ----------------------------------------------------------------------------------------

def max_upload_bytes() -> int:
    return current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024


def chosen_file(*uploads: FileStorage | None) -> FileStorage:
    """The one file the user picked (the file input or the camera input); raises Refused otherwise."""
    picked = [u for u in uploads if u]  # a FileStorage is true when the browser sent a file name
    if not picked:
        raise checks.Refused("Choose the certificate file, or take a photo of it.")
    if len(picked) > 1:
        raise checks.Refused("Choose one file: either a file or a photo, not both.")
    return picked[0]


def _staged_path(upload: FileStorage) -> str:
    """The upload's temporary file in the staging area (see uploads.UploadRequest)."""
    stream = upload.stream
    name = getattr(stream, "name", None)
    if not isinstance(name, str) or Path(name).parent != current_store().tmp:
        raise RuntimeError("uploads must be received by app.certificates.uploads.UploadRequest")
    stream.flush()
    return name


def accept_upload(user, upload: FileStorage, activity: Activity | None = None) -> Certificate:
    """Checks an upload by its content and keeps it as a pending certificate, then queues its hashing.

    Raises TooLarge or checks.Refused; either way the temporary file goes when the request ends.
    """
    path = Path(_staged_path(upload))
    size = path.stat().st_size
    if size > max_upload_bytes():
        raise TooLarge()
    kind = checks.inspect(path)
    store = current_store()
    pending_name = store.keep_upload(path)
    try:
        certificate = Certificate(user_id=user.id, activity_id=activity.id if activity else None,
                                  original_name=clean_name(upload.filename), media_type=kind.media_type,
                                  size_bytes=size, status="pending", pending_name=pending_name)
        db.session.add(certificate)
        db.session.flush()
        audit.record(f"user:{user.id}", "certificate_uploaded", f"certificate:{certificate.id}", user_id=user.id,
                     media_type=kind.media_type, size_bytes=size,
                     activity_id=activity.id if activity else None)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        store.remove_pending(pending_name)
        raise
    enqueue_store(certificate.id)
    return certificate


def store_job_id(certificate_id: int) -> str:
    return f"certificate-store-{certificate_id}"


user_keys.register(
    "certificates.store-jobs", "hashing jobs of the account's uploads (certificate ids, progress)",
    keys=lambda account: [key for certificate_id in account.session.scalars(
        select(Certificate.id).where(Certificate.user_id == account.id))
        for key in tasks.rq_keys(store_job_id(certificate_id))])


def enqueue_store(certificate_id: int, *, meta: dict | None = None) -> bool:
    """Queues the hashing job; with Redis down the certificate stays pending for the reconciler."""
    try:
        tasks.enqueue(STORE_JOB, certificate_id, queue_name="default", job_id=store_job_id(certificate_id),
                      retry=Retry(max=3), result_ttl=3600, failure_ttl=7 * 86400, meta=meta or {},
                      description=f"store certificate {certificate_id}")
    except RedisError as exc:
        log.warning("queue unavailable (%s); certificate %s waits for the reconciler",
                    exc.__class__.__name__, certificate_id)
        return False
    return True


# --- the hashing job ---------------------------------------------------------------------------------

def store_pending(certificate_id: int) -> str:
    """Hashes a pending upload, moves it into content-addressed storage and marks it verified.

    Safe to run again at any point and at the same time as itself: every row change is
    conditional on the row still being pending, and the move happens under the blob's lock.
    Returns what became of the certificate (for the job's result).
    """
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None:
        return "gone"
    if certificate.status != "pending":
        return certificate.status
    blobs = current_store()
    pending = blobs.pending_path(certificate.pending_name) if certificate.pending_name else None
    if pending is None or not pending.exists():
        return _finish_without_pending(certificate)
    sha256 = hash_file(pending)
    db.session.commit()  # end the read transaction before waiting for the lock
    with blob_lock(sha256, wait=LOCK_WAIT_SECONDS):
        if not _record_hash(certificate_id, sha256):
            blobs.remove_pending(pending.name)
            return "gone"
        blobs.put(pending, sha256)
        try:
            blobs.verify(sha256)  # read back once more: the bytes in place are the bytes hashed
        except (BlobCorrupt, BlobMissing) as exc:
            log.error("certificate %s: blob %s failed its check right after the move: %s",
                      certificate_id, sha256[:12], exc)
            mark_failed(certificate_id, STORE_FAILED_MESSAGE, clear_hash=True)
            remove_if_unreferenced_locked(sha256)
            return "failed"
        if not _mark_verified(certificate_id, sha256):
            remove_if_unreferenced_locked(sha256)
            return "gone"
    return "verified"


def _finish_without_pending(certificate: Certificate) -> str:
    """No pending file: a previous run moved it into place (finish that run), or it was lost."""
    sha256 = certificate.sha256
    if sha256 and current_store().exists(sha256):
        db.session.commit()
        with blob_lock(sha256, wait=LOCK_WAIT_SECONDS):
            try:
                current_store().verify(sha256)
            except (BlobCorrupt, BlobMissing) as exc:
                log.error("certificate %s: blob %s failed its check after the move: %s",
                          certificate.id, sha256[:12], exc)
                outcome = "failed" if mark_failed(certificate.id, STORE_FAILED_MESSAGE, clear_hash=True) else "gone"
                remove_if_unreferenced_locked(sha256)
                return outcome
            return "verified" if _mark_verified(certificate.id, sha256) else "gone"
    if mark_failed(certificate.id, LOST_MESSAGE, clear_hash=True):
        log.error("certificate %s: its pending upload is gone; marked failed", certificate.id)
        audit.record("system", "certificate_store_failed", f"certificate:{certificate.id}",
                     user_id=certificate.user_id, commit=True, reason="upload lost")
        return "failed"
    return "gone"


def _record_hash(certificate_id: int, sha256: str) -> bool:
    result = db.session.execute(
        update(Certificate).where(Certificate.id == certificate_id, Certificate.status == "pending")
        .values(sha256=sha256).execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount == 1


def _mark_verified(certificate_id: int, sha256: str) -> bool:
    now = utcnow()
    result = db.session.execute(
        update(Certificate).where(Certificate.id == certificate_id, Certificate.status == "pending",
                                  Certificate.sha256 == sha256)
        .values(status="verified", verified_at=now, checked_at=now, pending_name=None, error=None)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount == 1


def mark_failed(certificate_id: int, message: str, *, clear_hash: bool) -> bool:
    values = {"status": "failed", "error": message, "pending_name": None}
    if clear_hash:
        values["sha256"] = None
    result = db.session.execute(
        update(Certificate).where(Certificate.id == certificate_id, Certificate.status == "pending")
        .values(**values).execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount == 1


# --- download --------------------------------------------------------------------------------------

def open_verified(certificate: Certificate) -> tuple[BinaryIO, int]:
    """Opens the blob and hashes it all once before a byte is sent; returns the stream rewound.

    A mismatch can only be known after the last byte, so the check is a full pass of its own
    ahead of serving. The same open file is then served (a blob replaced meanwhile cannot slip
    in), and the route hashes it again as it streams, to catch a change between the passes.
    Raises Damaged after marking this certificate, auditing and logging.
    """
    try:
        stream = current_store().open(certificate.sha256)
    except BlobMissing:
        report_damage_of(certificate, "missing", "download")
        raise Damaged("missing") from None
    actual, size = hash_stream(stream)
    if actual != certificate.sha256:
        stream.close()
        report_damage_of(certificate, "corrupt", "download")
        raise Damaged("corrupt")
    stream.seek(0)
    return stream, size


def served_chunks(stream: BinaryIO, certificate_id: int, sha256: str) -> Iterator[bytes]:
    """The open blob in 1 MiB chunks, hashed again as they go out.

    Each chunk is held back until the next one is read, and the last one until the hash is
    confirmed: if the bytes changed after the verifying pass, the download is cut short
    (the client sees an incomplete transfer) and the error is logged.
    """
    digest = hashlib.sha256()
    try:
        previous = stream.read(CHUNK_SIZE)
        digest.update(previous)
        while previous:
            chunk = stream.read(CHUNK_SIZE)
            digest.update(chunk)
            if not chunk and digest.hexdigest() != sha256:
                log.error("certificate %s: blob %s changed while being served; the download was cut short",
                          certificate_id, sha256[:12])
                raise BlobCorrupt(sha256, digest.hexdigest())
            yield previous
            previous = chunk
    finally:
        stream.close()


def report_damage_of(certificate: Certificate, kind: str, found_by: str) -> None:
    """Marks one certificate damaged (only the one asked for: others sharing the blob are the sweep's)."""
    result = db.session.execute(
        update(Certificate).where(Certificate.id == certificate.id, Certificate.status == "verified")
        .values(status=kind, error=DAMAGE_MESSAGES[kind]).execution_options(synchronize_session=False))
    if result.rowcount:
        audit.record("system", "certificate_integrity_failed", f"certificate:{certificate.id}",
                     user_id=certificate.user_id, problem=kind, found_by=found_by)
    db.session.commit()
    db.session.refresh(certificate)
    log.error("certificate %s: stored blob %s is %s (found by %s)",
              certificate.id, (certificate.sha256 or "")[:12], kind, found_by)
