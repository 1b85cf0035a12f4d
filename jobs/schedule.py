"""The recurring jobs, each under a fixed id so that registering twice leaves one of each.

Other packages add their entries to RECURRING; `flask jobs schedule` (run before the scheduler
starts) registers them all and removes scheduled jobs whose id is no longer listed.
"""
from __future__ import annotations

from dataclasses import dataclass

from redis import Redis
from rq_scheduler import Scheduler


@dataclass(frozen=True)
class Recurring:
    id: str
    cron: str
    func: str
    queue: str = "low"
    description: str = ""
    timeout: int | None = None  # seconds; RQ's default (180) when None


RECURRING: list[Recurring] = [
    Recurring("heartbeat", "* * * * *", "jobs.maintenance.heartbeat", "low",
              "Proves every minute that the scheduler and a worker are alive"),
    Recurring("sign-in-cleanup-daily", "40 2 * * *", "jobs.maintenance.delete_spent_sign_in_tokens", "low",
              "Deletes sign-in links and codes that expired a day ago or more"),
    Recurring("certificates-reconcile", "*/5 * * * *", "jobs.certificates.reconcile", "low",
              "Queues the hashing of certificates whose job went missing (e.g. Redis was down at upload)"),
    Recurring("certificates-integrity-sweep", "17 3 * * *", "jobs.certificates.integrity_sweep", "low",
              "Re-hashes every stored certificate within a bytes-per-second budget", timeout=12 * 3600),
    Recurring("certificates-cleanup", "47 4 * * *", "jobs.certificates.cleanup", "low",
              "Removes unreferenced certificate blobs and stale temporary uploads", timeout=3600),
    Recurring("account-purge-daily", "30 3 * * *", "jobs.account.purge_due_accounts", "low",
              "Purges deleted accounts whose grace window has passed"),
    Recurring("export-cleanup-hourly", "15 * * * *", "jobs.account.clean_up_exports", "low",
              "Deletes data exports older than 24 hours"),
    Recurring("renewal-reminders-daily", "5 14 * * *", "jobs.outputs.send_due_reminders", "low",
              "Mails reminders 90, 60, 30, 14 and 7 days before unmet renewal deadlines (each once)"),
    Recurring("packet-cleanup-hourly", "25 * * * *", "jobs.outputs.clean_up_packets", "low",
              "Deletes audit packets older than 24 hours and files of packets that no longer exist"),
]


def register(connection: Redis, recurring: list[Recurring] | None = None) -> list[str]:
    """Registers every recurring job; a restart replaces them instead of doubling them."""
    recurring = RECURRING if recurring is None else recurring
    scheduler = Scheduler(connection=connection)
    wanted = {item.id for item in recurring}
    for job in scheduler.get_jobs():
        if job.id in wanted or job.meta.get("cron_string"):
            scheduler.cancel(job)
    for item in recurring:
        scheduler.cron(item.cron, func=item.func, id=item.id, queue_name=item.queue,
                       description=item.description or item.id, result_ttl=3600, timeout=item.timeout)
    return sorted(wanted)


def registered(connection: Redis) -> list[tuple[str, object]]:
    """(id, next run) of every scheduled job, for the support console and the tests."""
    scheduler = Scheduler(connection=connection)
    return [(job.id, when) for job, when in scheduler.get_jobs(with_times=True)]
