"""Scheduled care of the store: the integrity sweep, the clean-up and the pending reconciler.

Each runs under a Redis lock with a timeout (a second copy started meanwhile returns at once),
and each step is idempotent: a row changes state only from the state the step expects, a file
is removed only after checking it is still unreferenced, so running twice, or two at a time,
does nothing twice.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from rq import Queue
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry
from sqlalchemy import select, update

from app import audit, db
from app.certificates.deletion import remove_unreferenced_blob
from app.certificates.locks import Busy, held
from app.certificates.models import Certificate
from app.certificates.service import (
    DAMAGE_MESSAGES,
    LOST_MESSAGE,
    enqueue_store,
    mark_failed,
    store_job_id,
)
from app.certificates.storage import BlobCorrupt, BlobMissing, Throttle, current_store
from app.db import utcnow
from app.extensions import QUEUE_NAMES, redis

log = logging.getLogger(__name__)

SWEEP_LOCK_SECONDS = 600  # renewed after every blob, so only a dead sweep lets it lapse
RECONCILE_AFTER = timedelta(minutes=2)  # a younger pending upload is still being enqueued
MAX_RECONCILES = 5
LIVE_JOB_STATES = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED, JobStatus.SCHEDULED,
                   JobStatus.CREATED}


@dataclass
class Report:
    skipped: bool = False
    checked: int = 0
    bytes: int = 0
    corrupt: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    removed_blobs: int = 0
    removed_temporary: int = 0
    enqueued: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {k: v for k, v in vars(self).items() if v}


def integrity_sweep(bytes_per_second: int | None = None) -> Report:
    """Re-hashes every blob that a verified certificate refers to, within a bytes-per-second budget.

    A blob that is gone or whose bytes no longer match is logged, and every verified certificate
    pointing at it is marked missing or corrupt, with an audit event for its owner.
    """
    report = Report()
    rate = current_app.config["INTEGRITY_SWEEP_BYTES_PER_SECOND"] if bytes_per_second is None else bytes_per_second
    try:
        with held("integrity-sweep", timeout=SWEEP_LOCK_SECONDS) as lock:
            hashes = list(db.session.scalars(
                select(Certificate.sha256).where(Certificate.status == "verified", Certificate.sha256.is_not(None))
                .distinct().order_by(Certificate.sha256)))
            db.session.commit()
            throttle, blobs = Throttle(rate), current_store()
            for sha256 in hashes:
                try:
                    report.bytes += blobs.size(sha256)
                    blobs.verify(sha256, throttle)
                except BlobMissing:
                    if _mark_damaged(sha256, "missing"):
                        report.missing.append(sha256)
                except BlobCorrupt:
                    if _mark_damaged(sha256, "corrupt"):
                        report.corrupt.append(sha256)
                else:
                    _mark_checked(sha256)
                report.checked += 1
                lock.reacquire()
    except Busy:
        log.info("integrity sweep already running; this run stops")
        return Report(skipped=True)
    log.info("integrity sweep: %s", report.as_dict())
    return report


def _mark_checked(sha256: str) -> None:
    db.session.execute(update(Certificate).where(Certificate.sha256 == sha256, Certificate.status == "verified")
                       .values(checked_at=utcnow()).execution_options(synchronize_session=False))
    db.session.commit()


def _mark_damaged(sha256: str, kind: str) -> int:
    rows = db.session.execute(
        update(Certificate).where(Certificate.sha256 == sha256, Certificate.status == "verified")
        .values(status=kind, error=DAMAGE_MESSAGES[kind])
        .returning(Certificate.id, Certificate.user_id).execution_options(synchronize_session=False)).all()
    for certificate_id, user_id in rows:
        audit.record("system", "certificate_integrity_failed", f"certificate:{certificate_id}",
                     user_id=user_id, problem=kind, found_by="integrity sweep")
    db.session.commit()
    if rows:
        log.error("integrity sweep: blob %s is %s; %d certificate(s) marked", sha256[:12], kind, len(rows))
    return len(rows)


def cleanup(stale_hours: int | None = None) -> Report:
    """Removes blobs that no certificate refers to, and staged files older than STALE_UPLOAD_HOURS
    that no pending certificate refers to."""
    report = Report()
    hours = current_app.config["STALE_UPLOAD_HOURS"] if stale_hours is None else stale_hours
    try:
        with held("cleanup", timeout=SWEEP_LOCK_SECONDS) as lock:
            blobs = current_store()
            referenced = set(db.session.scalars(select(Certificate.sha256).where(Certificate.sha256.is_not(None))))
            db.session.commit()
            for sha256 in list(blobs.blobs()):
                if sha256 not in referenced and remove_unreferenced_blob(sha256, wait=1):
                    report.removed_blobs += 1
                    lock.reacquire()
            cutoff = time.time() - hours * 3600
            for path, modified in list(blobs.staged_files()):
                if modified < cutoff and not _pending_name_in_use(path.name):
                    path.unlink(missing_ok=True)
                    report.removed_temporary += 1
    except Busy:
        log.info("clean-up already running; this run stops")
        return Report(skipped=True)
    log.info("certificate clean-up: %s", report.as_dict())
    return report


def _pending_name_in_use(name: str) -> bool:
    with db.engine().connect() as connection:
        return connection.scalar(select(Certificate.id).where(Certificate.pending_name == name).limit(1)) is not None


def reconcile_pending() -> Report:
    """Queues the hashing job again for pending certificates whose job is gone (Redis was down at
    upload, the job failed, or its worker died: RQ's own clean-up of abandoned jobs runs first)."""
    report = Report()
    try:
        with held("reconcile", timeout=SWEEP_LOCK_SECONDS):
            connection = redis()
            for name in QUEUE_NAMES:
                StartedJobRegistry(queue=Queue(name, connection=connection)).cleanup()
            cutoff = utcnow() - RECONCILE_AFTER
            waiting = list(db.session.scalars(select(Certificate.id).where(
                Certificate.status == "pending", Certificate.created_at < cutoff).order_by(Certificate.id)))
            db.session.commit()
            for certificate_id in waiting:
                _reconcile_one(certificate_id, connection, report)
    except Busy:
        log.info("reconciler already running; this run stops")
        return Report(skipped=True)
    if report.enqueued or report.failed:
        log.warning("reconciler: %s", report.as_dict())
    return report


def _reconcile_one(certificate_id: int, connection, report: Report) -> None:
    try:
        job = Job.fetch(store_job_id(certificate_id), connection=connection)
    except NoSuchJobError:
        job = None
    if job is not None and job.get_status() in LIVE_JOB_STATES:
        return
    attempts = int(job.meta.get("reconciled", 0)) if job is not None else 0
    if attempts >= MAX_RECONCILES:
        if mark_failed(certificate_id, LOST_MESSAGE, clear_hash=True):
            log.error("certificate %s could not be stored after %d attempts; marked failed",
                      certificate_id, attempts)
            report.failed.append(certificate_id)
        return
    if job is not None:
        job.delete()
    if enqueue_store(certificate_id, meta={"reconciled": attempts + 1}):
        report.enqueued.append(certificate_id)
