"""Background jobs as the user sees them: the polling status, jobs.tracked, the recurring schedule
and the command-line tools."""
from __future__ import annotations

import pytest
from rq.registry import FailedJobRegistry
from sqlalchemy import select

from app import tasks
from app.audit import AuditEvent
from app.auth.models import User
from app.extensions import queue, redis
from app.tasks import JobRecord
from jobs.schedule import RECURRING, Recurring, register, registered

SAMPLE = "tests.support_code.sample_jobs."


def make_record(dbs, user, state: str, **values) -> JobRecord:
    record = JobRecord(user_id=user.id, kind="sample", state=state, **values)
    dbs.add(record)
    dbs.commit()
    return record


@pytest.mark.parametrize("state", ["queued", "running"])
def test_status_polls_while_the_job_is_waiting_or_running(user_client, dbs, state):
    record = make_record(dbs, user_client.user, state, progress="Reading page 2")
    for response in (user_client.get(f"/jobs/{record.id}"), user_client.htmx_get(f"/jobs/{record.id}", "job-status")):
        html = response.get_data(as_text=True)
        assert 'hx-trigger="every 2s"' in html
        assert f'hx-get="/jobs/{record.id}"' in html
        assert f'<a href="/jobs/{record.id}" hx-boost="false">Check again</a>' in html
        assert "Reading page 2" in html


@pytest.mark.parametrize(("state", "shown"), [("done", "Open the result"), ("failed", "The file was empty.")])
def test_status_stops_polling_when_the_job_is_finished(user_client, dbs, state, shown):
    record = make_record(dbs, user_client.user, state, result_url="/results/1", error="The file was empty.")
    for response in (user_client.get(f"/jobs/{record.id}"), user_client.htmx_get(f"/jobs/{record.id}", "job-status")):
        html = response.get_data(as_text=True)
        assert "hx-trigger" not in html and "hx-get" not in html and "Check again" not in html
        assert shown in html


def start(app, user, job_name: str) -> JobRecord:
    with app.app_context():
        return tasks.start(user.id, "sample", SAMPLE + job_name)


def test_tracked_job_runs_then_is_done_with_its_result(app, user_client, dbs, run_jobs):
    record = start(app, user_client.user, "report_state")
    assert dbs.get(JobRecord, record.id).state == "queued"
    run_jobs()
    done = dbs.get(JobRecord, record.id)
    assert (done.state, done.progress, done.error) == ("done", "Done", None)
    assert done.result_url == "/results/running"  # the job saw its record marked running
    assert done.finished_at is not None
    page = user_client.get(f"/jobs/{record.id}").get_data(as_text=True)
    assert '<a href="/results/running" hx-boost="false">Open the result</a>' in page


@pytest.mark.parametrize(("job_name", "message"), [
    ("fail_for_the_user", "The file could not be read. Upload a PDF or a photo."),
    ("crash", "This did not work. Please try again."),
])
def test_tracked_job_that_raises_is_failed_with_a_message_for_the_user(app, user_client, dbs, run_jobs,
                                                                        job_name, message):
    record = start(app, user_client.user, job_name)
    run_jobs()
    failed = dbs.get(JobRecord, record.id)
    assert (failed.state, failed.error) == ("failed", message)
    page = user_client.get(f"/jobs/{record.id}").get_data(as_text=True)
    assert message in page and "internal detail" not in page and "pypdf" not in page
    with app.app_context():
        assert f"sample-{record.id}" in FailedJobRegistry(queue=queue("default")).get_job_ids()


def test_registering_twice_leaves_one_job_per_id(app):
    with app.app_context():
        connection = redis()
        register(connection)
        register(connection)
        ids = [job_id for job_id, _ in registered(connection)]
    assert sorted(ids) == sorted(item.id for item in RECURRING)


def test_registering_replaces_jobs_no_longer_listed(app):
    first = [Recurring("purge-daily", "15 3 * * *", SAMPLE + "report_state", "low", "Purge"),
             Recurring("reminders", "0 13 * * *", SAMPLE + "report_state", "default", "Reminders")]
    with app.app_context():
        connection = redis()
        register(connection, first)
        register(connection, first)
        assert sorted(job_id for job_id, _ in registered(connection)) == ["purge-daily", "reminders"]
        register(connection, first[:1])
        from rq_scheduler import Scheduler
        jobs = list(Scheduler(connection=connection).get_jobs())
    assert [job.id for job in jobs] == ["purge-daily"]
    assert jobs[0].meta["cron_string"] == "15 3 * * *" and jobs[0].origin == "low"


def test_cli_schedules_the_recurring_jobs(app):
    result = app.test_cli_runner().invoke(args=["jobs", "schedule"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "scheduled: " + ", ".join(sorted(item.id for item in RECURRING))
    app.test_cli_runner().invoke(args=["jobs", "schedule"])
    with app.app_context():
        assert sorted(job_id for job_id, _ in registered(redis())) == sorted(item.id for item in RECURRING)


def test_cli_grants_the_support_role(app, user_client, dbs):
    result = app.test_cli_runner().invoke(args=["users", "grant-support", " Ann@Example.com"])
    assert result.exit_code == 0, result.output
    assert "ann@example.com now has the support role" in result.output
    assert dbs.scalar(select(User.is_support).where(User.email == "ann@example.com")) is True
    event = dbs.scalar(select(AuditEvent).where(AuditEvent.action == "support_granted"))
    assert event.actor == "cli" and event.user_id == user_client.user.id


def test_cli_refuses_an_unknown_address(app, dbs):
    result = app.test_cli_runner().invoke(args=["users", "grant-support", "nobody@example.com"])
    assert result.exit_code == 1
    assert "no account with the address nobody@example.com" in result.output
    assert dbs.scalar(select(AuditEvent)) is None
