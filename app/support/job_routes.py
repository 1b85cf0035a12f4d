"""/support/jobs: queues, workers, the schedule, failed jobs (retry, delete) and runs on demand."""
from __future__ import annotations

from flask import abort, url_for

from app.rendering import done, render
from app.support import queues, runs
from app.support.forms import ButtonForm
from app.support.routes import audited, bp


def _checked_form() -> None:
    if not ButtonForm().validate_on_submit():
        abort(400)


@bp.get("/jobs")
def jobs():
    """Queues and their depth, workers, the scheduled jobs with their next run, failed jobs."""
    audited("support_viewed_jobs")
    return render("support/jobs.html", queues=queues.queue_states(), workers=queues.worker_states(),
                  scheduled=queues.scheduled_jobs(), scheduler_alive=queues.scheduler_alive(),
                  heartbeat=queues.last_heartbeat(), failed=queues.failed_jobs(), kinds=runs.KINDS,
                  recent_runs=runs.recent(), form=ButtonForm())


@bp.post("/jobs/failed/<job_id>/retry")
def retry(job_id: str):
    """Puts a failed job back on its queue, to run again as it was."""
    _checked_form()
    function = queues.retry(job_id)
    audited("support_retried_job", f"job:{job_id}", function=function, found=function is not None)
    if function is None:
        abort(404)
    return done(url_for("support.jobs"), f"{function} is queued again.")


@bp.post("/jobs/failed/<job_id>/delete")
def delete(job_id: str):
    """Removes a failed job for good."""
    _checked_form()
    function = queues.delete(job_id)
    audited("support_deleted_job", f"job:{job_id}", function=function, found=function is not None)
    if function is None:
        abort(404)
    return done(url_for("support.jobs"), f"The failed {function} job is deleted.")


@bp.post("/runs/<kind>")
def start_run(kind: str):
    """Starts the purge dry run or the integrity sweep now, as a job; its page shows the result."""
    _checked_form()
    if kind not in runs.KINDS:
        audited("support_started_run", None, kind=kind[:40], found=False)
        abort(404)
    job_id = runs.start(kind)
    audited("support_started_run", f"job:{job_id}", kind=kind, found=True)
    return done(url_for("support.run", job_id=job_id), f"{runs.KINDS[kind].label} started.")


@bp.get("/runs/<job_id>")
def run(job_id: str):
    """A run's state, polling while it waits or works, and its result when done."""
    found = runs.find(job_id)
    audited("support_viewed_run", f"job:{job_id}", found=found is not None)
    if found is None:
        abort(404)
    return render("support/run.html", fragments=("run_status",), run=found)
