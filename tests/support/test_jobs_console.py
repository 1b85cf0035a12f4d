"""/support/jobs: queues, workers, the schedule as registered, failed jobs (retry runs them again,
delete removes them), and the purge dry run and integrity sweep run on demand."""
from __future__ import annotations

import re
from datetime import UTC, datetime

from rq import SimpleWorker
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.registry import FailedJobRegistry, FinishedJobRegistry
from sqlalchemy import select

from app.auth.models import User
from app.db import utcnow
from app.extensions import queue, redis
from app.tasks import JobRecord
from jobs.schedule import RECURRING, register, registered
from tests.account.seed import blob_file, make_user, seed_everything
from tests.support.conftest import FLAKY, PRIVATE_NOTE, support_events


def jobs_page(client) -> str:
    response = client.get("/support/jobs")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_queues_show_their_depth_and_workers_are_listed(app, support_client):
    with app.app_context():
        queue("low").enqueue("jobs.maintenance.heartbeat")
        queue("low").enqueue("jobs.maintenance.heartbeat")
        worker = SimpleWorker([queue("default")], connection=redis(), name="console-test-worker")
        worker.register_birth()
    try:
        page = jobs_page(support_client)
    finally:
        with app.app_context():
            worker.register_death()
    rows = dict(re.findall(r'<th scope="row" data-label="Queue">(\w+)</th><td data-label="Waiting">(\d+)</td>', page))
    assert rows == {"default": "0", "low": "2"}
    assert "console-test-worker" in page and "No worker is running" not in page


def test_the_schedule_lists_exactly_what_is_registered_with_the_next_run(app, support_client):
    with app.app_context():
        register(redis())
        expected = registered(redis())
    page = jobs_page(support_client)
    shown = re.findall(r'<tr id="scheduled-([\w-]+)">.*?<time datetime="([^"]+)">', page, re.S)
    assert [job_id for job_id, _ in shown] == [job_id for job_id, _ in sorted(expected, key=lambda e: (e[1], e[0]))]
    for job_id, when in expected:  # rq-scheduler gives naive UTC times
        assert datetime.fromisoformat(dict(shown)[job_id]) == when.replace(tzinfo=UTC)
    for item in RECURRING:
        assert item.description in page and item.func in page


def test_an_empty_schedule_says_how_to_fill_it(support_client):
    assert "flask jobs schedule" in jobs_page(support_client)


def test_a_failed_job_is_shown_by_function_and_error_without_its_arguments(support_client, failed_job):
    job_id, _ = failed_job
    page = jobs_page(support_client)
    row = re.search(rf'<tr id="failed-{job_id}">(.*?)</tr>', page, re.S).group(1)
    assert FLAKY in row
    assert "MailRefused: smtp refused [address hidden] with token [hidden]" in row
    assert "tests/support_code/support_jobs.py" in row  # where it was raised
    assert PRIVATE_NOTE not in page and "ann@example.com" not in page and "Zx9aQ4hT7" not in page


def test_retrying_a_failed_job_runs_it_again(app, support_client, failed_job, allow_retry, run_jobs, dbs):
    job_id, record_id = failed_job
    assert dbs.get(JobRecord, record_id).state == "failed"
    allow_retry()
    response = support_client.post_form(f"/support/jobs/failed/{job_id}/retry")
    assert response.status_code == 303 and response.headers["Location"] == "/support/jobs"
    with app.app_context():
        assert job_id not in FailedJobRegistry(queue=queue("default"))
        assert queue("default").get_job_ids() == [job_id]
    run_jobs()
    dbs.expire_all()
    record = dbs.get(JobRecord, record_id)
    assert (record.state, record.result_url) == ("done", "/results/retried")
    with app.app_context():
        assert job_id in FinishedJobRegistry(queue=queue("default"))
    page = support_client.get("/support/jobs").get_data(as_text=True)
    assert f"{FLAKY} is queued again." in page and "No failed jobs." in page
    event = support_events(dbs, support_client.user.id)[-2]
    assert (event.action, event.subject, event.details) == (
        "support_retried_job", f"job:{job_id}", {"function": FLAKY, "found": True})


def test_deleting_a_failed_job_removes_it(app, support_client, failed_job, dbs):
    job_id, _ = failed_job
    response = support_client.post_form(f"/support/jobs/failed/{job_id}/delete", htmx=True)
    assert response.headers["HX-Redirect"] == "/support/jobs"
    with app.app_context():
        assert job_id not in FailedJobRegistry(queue=queue("default"))
        try:
            Job.fetch(job_id, connection=redis())
            raise AssertionError("the job is still stored")
        except NoSuchJobError:
            pass
    assert "No failed jobs." in jobs_page(support_client)
    assert support_client.post_form(f"/support/jobs/failed/{job_id}/retry").status_code == 404


def _deleted_user(dbs, email: str, *, due: bool):
    from datetime import timedelta
    now = utcnow()
    return make_user(dbs, email, deleted_at=now - timedelta(days=40 if due else 1),
                     purge_after=now - timedelta(days=10) if due else now + timedelta(days=29))


def test_the_purge_dry_run_runs_as_a_job_and_shows_what_would_go(app, support_client, dbs, run_jobs):
    due = _deleted_user(dbs, "gone@example.com", due=True)
    seed_everything(dbs, app, due, "dry")
    _deleted_user(dbs, "waiting@example.com", due=False)
    response = support_client.post_form("/support/runs/purge-dry-run")
    location = response.headers["Location"]
    assert response.status_code == 303 and location.startswith("/support/runs/support-run-purge-dry-run-")
    waiting = support_client.get(location).get_data(as_text=True)
    assert 'hx-trigger="every 2s"' in waiting and "Check again" in waiting
    run_jobs()
    page = support_client.htmx_get(location, "run-status").get_data(as_text=True)
    assert page.lstrip().startswith('<div id="run-status"') and "hx-trigger" not in page
    assert "1 account would be purged now. Nothing was changed." in page
    assert f'href="/support/accounts/{due.id}">#{due.id}</a>' in page
    assert "activities 1" in page and "<td data-label=\"Certificate files\">3</td>" in page
    assert "gone@example.com" not in page and "waiting@example.com" not in page and "=Ethics for dry" not in page
    dbs.expire_all()
    assert dbs.get(User, due.id) is not None  # nothing was purged
    with app.app_context():
        stored = Job.fetch(location.rsplit("/", 1)[1], connection=redis()).return_value()
    assert "gone@example.com" not in repr(stored)
    assert location.rsplit("/", 1)[1] in jobs_page(support_client)  # listed among recent runs


def test_the_integrity_sweep_runs_on_demand_and_reports_damage(app, support_client, dbs, user_client, run_jobs):
    seeded = seed_everything(dbs, app, user_client.user, "sweep")
    blob_file(app.config["CERTIFICATE_ROOT"], seeded.blobs[0]).write_bytes(b"changed")
    location = support_client.post_form("/support/runs/integrity-sweep").headers["Location"]
    run_jobs()
    page = support_client.get(location).get_data(as_text=True)
    assert "Checked 3 certificate files" in page
    assert "Damaged (bytes changed):</strong> 1." in page and seeded.blobs[0][:16] in page


def test_only_console_runs_can_be_looked_at(app, support_client, failed_job):
    job_id, _ = failed_job
    assert support_client.get(f"/support/runs/{job_id}").status_code == 404
    assert support_client.post_form("/support/runs/cleanup").status_code == 404
    assert support_client.get("/support/runs/support-run-purge-dry-run-000000000000").status_code == 404


def test_no_user_data_reaches_the_console_through_a_failed_users_job(support_client, failed_job, dbs):
    page = support_client.get("/support").get_data(as_text=True)
    assert "Failed: 1." in page
    assert PRIVATE_NOTE not in page
    assert dbs.scalar(select(User.email).where(User.is_support)) == "sam@example.com"
