"""What support sees of the job system: queues, workers, the schedule and failed jobs.

A job's arguments and its description (RQ builds the description from the arguments) can hold
what a user typed, an e-mail address or a sign-in secret, so none of them is read here: a job
is shown by its id, function and queue, and an error by its type and message with addresses and
token-like strings hidden, plus the line of our code that raised it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from rq import Worker
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import Job
from rq.registry import FailedJobRegistry
from rq_scheduler import Scheduler

from app.extensions import QUEUE_NAMES, queue, redis

HEARTBEAT_KEY = "cetracker:heartbeat"  # set every minute by jobs.maintenance.heartbeat
FAILED_SHOWN = 50
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
TOKEN_LIKE = re.compile(r"[A-Za-z0-9_\-]{20,}")
FRAME = re.compile(r'^\s*File "(?P<path>[^"]+)", line (?P<line>\d+), in (?P<func>\S+)')
OUR_CODE = ("/app/", "/jobs/", "/tests/")


@dataclass(frozen=True)
class QueueState:
    name: str
    queued: int
    started: int
    failed: int
    scheduled: int
    deferred: int
    finished: int


@dataclass(frozen=True)
class WorkerState:
    name: str
    hostname: str
    pid: int | None
    state: str
    queues: list[str]
    current_function: str | None
    last_heartbeat: datetime | None
    successful: int
    failed: int


@dataclass(frozen=True)
class ScheduledJob:
    id: str
    function: str
    queue: str
    cron: str
    description: str
    next_run: datetime | None


@dataclass(frozen=True)
class FailedJob:
    id: str
    function: str
    queue: str
    failed_at: datetime | None
    error: str
    where: str


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def queue_states() -> list[QueueState]:
    """Depth of each queue and the size of its registries."""
    states = []
    for name in QUEUE_NAMES:
        q = queue(name)
        states.append(QueueState(
            name=name, queued=q.count, started=q.started_job_registry.count, failed=q.failed_job_registry.count,
            scheduled=q.scheduled_job_registry.count, deferred=q.deferred_job_registry.count,
            finished=q.finished_job_registry.count))
    return states


def worker_states() -> list[WorkerState]:
    """Every registered worker: where it runs, what it listens to and what it is doing now."""
    states = []
    for worker in sorted(Worker.all(connection=redis()), key=lambda w: w.name):
        current = worker.get_current_job()
        states.append(WorkerState(
            name=worker.name, hostname=worker.hostname or "", pid=worker.pid, state=str(worker.get_state()),
            queues=worker.queue_names(), current_function=current.func_name if current else None,
            last_heartbeat=_aware(worker.last_heartbeat), successful=worker.successful_job_count or 0,
            failed=worker.failed_job_count or 0))
    return states


def scheduled_jobs() -> list[ScheduledJob]:
    """The jobs rq-scheduler holds, soonest first (the same list as jobs.schedule.registered)."""
    items = []
    for job, when in Scheduler(connection=redis()).get_jobs(with_times=True):
        cron = job.meta.get("cron_string") or ""
        # A recurring job's description is the text we gave it; any other job's is its call, arguments included.
        items.append(ScheduledJob(id=job.id, function=job.func_name or "", queue=job.origin or "", cron=cron,
                                  description=(job.description or "") if cron else "", next_run=_aware(when)))
    return sorted(items, key=lambda item: (item.next_run or datetime.max.replace(tzinfo=UTC), item.id))


def scheduler_alive() -> bool:
    from app.health import check_scheduler
    try:
        check_scheduler()
    except RuntimeError:
        return False
    return True


def last_heartbeat() -> datetime | None:
    """When the heartbeat job last ran: proof that the scheduler queues and a worker runs."""
    value = redis().get(HEARTBEAT_KEY)
    return datetime.fromtimestamp(float(value), UTC) if value else None


def summarize_error(exc_string: str | None) -> tuple[str, str]:
    """(error, where): the exception's last line with personal data hidden, and the raising frame."""
    lines = [line for line in (exc_string or "").splitlines() if line.strip()]
    if not lines:
        return "No error was recorded.", ""
    message = lines[-1].strip()
    message = TOKEN_LIKE.sub("[hidden]", EMAIL.sub("[address hidden]", message))
    if len(message) > 300:
        message = message[:299] + "…"
    frames = [match for line in lines if (match := FRAME.match(line))]
    ours = [m for m in frames if any(part in m["path"] for part in OUR_CODE)] or frames
    where = ""
    if ours:
        frame = ours[-1]
        path = frame["path"]
        for part in OUR_CODE:
            if part in path:
                path = part.strip("/") + "/" + path.rsplit(part, 1)[1]
                break
        where = f"{path}:{frame['line']} in {frame['func']}"
    return message, where


def _failed_registries() -> list[tuple[str, FailedJobRegistry]]:
    return [(name, FailedJobRegistry(queue=queue(name))) for name in QUEUE_NAMES]


def failed_jobs(limit: int = FAILED_SHOWN) -> list[FailedJob]:
    """The newest failed jobs of every queue, with their error summarized."""
    items = []
    connection = redis()
    for name, registry in _failed_registries():
        ids = registry.get_job_ids(0, limit - 1, desc=True)
        for job in Job.fetch_many(ids, connection=connection):
            if job is None:
                continue
            result = job.latest_result()
            error, where = summarize_error(result.exc_string if result is not None else None)
            items.append(FailedJob(id=job.id, function=job.func_name or "", queue=name,
                                   failed_at=_aware(job.ended_at), error=error, where=where))
    items.sort(key=lambda item: item.failed_at or datetime.min.replace(tzinfo=UTC), reverse=True)
    return items[:limit]


def _find_failed(job_id: str) -> tuple[FailedJobRegistry, Job] | None:
    for _name, registry in _failed_registries():
        if job_id in registry:
            try:
                return registry, Job.fetch(job_id, connection=redis())
            except NoSuchJobError:
                registry.remove(job_id)
                return None
    return None


def retry(job_id: str) -> str | None:
    """Puts a failed job back on its queue; its function name, or None if it is not failed."""
    found = _find_failed(job_id)
    if found is None:
        return None
    registry, job = found
    try:
        registry.requeue(job)
    except InvalidJobOperation:  # someone else retried or deleted it a moment ago
        return None
    return job.func_name or ""


def delete(job_id: str) -> str | None:
    """Removes a failed job and its data for good; its function name, or None if it is not failed."""
    found = _find_failed(job_id)
    if found is None:
        return None
    registry, job = found
    registry.remove(job, delete_job=True)
    return job.func_name or ""
