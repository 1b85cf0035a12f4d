"""Background work as the user sees it: a job record per task, and enqueueing jobs by name.

Nothing under app/ imports jobs/: work is enqueued by the dotted name of its job function.
"""
from __future__ import annotations

import logging
import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from app import db, user_keys
from app.db import Base, UTCDateTime, utcnow
from app.extensions import queue

log = logging.getLogger(__name__)


class JobRecord(Base):
    """The state of one piece of long work that a user waits for."""

    __tablename__ = "job_records"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16), default="queued")  # queued, running, done, failed
    progress: Mapped[str | None] = mapped_column(String(200))
    result_url: Mapped[str | None] = mapped_column(String(500))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def finished(self) -> bool:
        return self.state in {"done", "failed"}


def enqueue(job_name: str, *args, queue_name: str = "default", **options):
    """Puts a job on a queue by its dotted name (e.g. "jobs.mail.send_sign_in")."""
    return queue(queue_name).enqueue(job_name, *args, **options)


def start(user_id: int | None, kind: str, job_name: str, *args, queue_name: str = "default",
          **options) -> JobRecord:
    """Creates the job record the page will poll, then enqueues the job with its id first."""
    record = JobRecord(user_id=user_id, kind=kind, progress="Waiting for a worker")
    db.session.add(record)
    db.session.commit()
    enqueue(job_name, record.id, *args, queue_name=queue_name, job_id=f"{kind}-{record.id}", **options)
    return record


def update(record_id: str, *, state: str | None = None, progress: str | None = None,
           result_url: str | None = None, error: str | None = None) -> None:
    """Called from jobs as they go; commits at once so the polling page sees it."""
    record = db.session.get(JobRecord, record_id)
    if record is None:
        return
    if state:
        record.state = state
        if state in {"done", "failed"}:
            record.finished_at = utcnow()
    if progress is not None:
        record.progress = progress
    if result_url is not None:
        record.result_url = result_url
    if error is not None:
        record.error = error
    db.session.commit()


def owned_record(record_id: str, user_id: int) -> JobRecord | None:
    return db.session.scalar(select(JobRecord).where(JobRecord.id == record_id, JobRecord.user_id == user_id))


def rq_keys(job_id: str) -> list[str]:
    """RQ's hash and result stream of one job (its arguments and its result)."""
    return [f"rq:job:{job_id}", f"rq:results:{job_id}"]


user_keys.register(
    "jobs", "RQ jobs of the account's tracked work (exports...): arguments, progress, results",
    keys=lambda account: [key for kind, record_id in account.session.execute(
        select(JobRecord.kind, JobRecord.id).where(JobRecord.user_id == account.id))
        for key in rq_keys(f"{kind}-{record_id}")])
