"""Jobs support runs on demand (the purge dry run, the certificate integrity sweep) and their results.

A run is an RQ job under an id of ours (`support-run-<kind>-<random>`), so that the result page
shows only these jobs' results and never another job's. The results hold ids and counts, never
an e-mail address: they stay in Redis for a day, outside the purge's reach.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from app import tasks
from app.extensions import redis
from app.support.queues import summarize_error

PREFIX = "support-run-"
RECENT_KEY = "cetracker:support-runs"
RECENT_KEPT = 20
RESULT_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Kind:
    label: str
    function: str
    queue: str
    timeout: int  # seconds


KINDS = {
    "purge-dry-run": Kind("Purge dry run", "jobs.support.purge_dry_run", "default", 600),
    "integrity-sweep": Kind("Certificate integrity sweep", "jobs.certificates.integrity_sweep", "low", 12 * 3600),
}


@dataclass(frozen=True)
class Run:
    id: str
    kind: str
    label: str
    status: str  # queued, started, finished, failed, ...
    enqueued_at: datetime | None
    ended_at: datetime | None
    result: Any
    error: str

    @property
    def finished(self) -> bool:
        return self.status in {"finished", "failed", "stopped", "canceled"}


def start(kind: str) -> str:
    """Enqueues a run of this kind; returns its job id."""
    spec = KINDS[kind]
    job_id = f"{PREFIX}{kind}-{uuid.uuid4().hex[:12]}"
    tasks.enqueue(spec.function, queue_name=spec.queue, job_id=job_id, job_timeout=spec.timeout,
                  result_ttl=RESULT_SECONDS, failure_ttl=RESULT_SECONDS)
    connection = redis()
    connection.lpush(RECENT_KEY, job_id)
    connection.ltrim(RECENT_KEY, 0, RECENT_KEPT - 1)
    return job_id


def kind_of(job_id: str) -> str | None:
    if not job_id.startswith(PREFIX):
        return None
    rest = job_id[len(PREFIX):]
    return next((kind for kind in KINDS if rest.startswith(kind + "-")), None)


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _view(job: Job, kind: str) -> Run:
    status = job.get_status()
    status_text = status.value if isinstance(status, JobStatus) else str(status or "gone")
    result, error = None, ""
    latest = job.latest_result()
    if status == JobStatus.FINISHED:
        result = job.return_value()
    elif status == JobStatus.FAILED:
        error = summarize_error(latest.exc_string if latest is not None else None)[0]
    return Run(id=job.id, kind=kind, label=KINDS[kind].label, status=status_text,
               enqueued_at=_aware(job.enqueued_at), ended_at=_aware(job.ended_at), result=result, error=error)


def find(job_id: str) -> Run | None:
    """A run started from the console, or None for any other job id (or one that expired)."""
    kind = kind_of(job_id)
    if kind is None:
        return None
    try:
        job = Job.fetch(job_id, connection=redis())
    except NoSuchJobError:
        return None
    return _view(job, kind)


def recent() -> list[Run]:
    """The last runs started from the console that Redis still holds, newest first."""
    ids = [raw.decode() for raw in redis().lrange(RECENT_KEY, 0, RECENT_KEPT - 1)]
    runs = []
    for job in Job.fetch_many([i for i in ids if kind_of(i)], connection=redis()):
        if job is not None:
            runs.append(_view(job, kind_of(job.id)))
    return runs


def purge_dry_run() -> dict:
    """What the purge would remove now, per account: ids and counts only (no address, no content)."""
    from app.account.deletion import purge_due
    report = purge_due(dry_run=True)
    return {"accounts": [{
        "account": plan.account_id, "due_since": plan.purge_after.isoformat(),
        "rows": dict(sorted(plan.rows.items())), "blobs": len(plan.blobs), "shared_blobs": len(plan.shared_blobs),
        "export_files": len(plan.export_files), "redis_keys": len(plan.redis_keys),
    } for plan in report.plans]}
