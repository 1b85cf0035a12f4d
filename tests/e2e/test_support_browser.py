"""The support console in Chromium: queues and schedule, a failed job retried, a purge dry run,
a feedback message read and closed, one account's window shortened; 403 for a plain user.
With JavaScript on and off, and at phone width."""
from __future__ import annotations

import time
from datetime import timedelta

import pytest
from rq.registry import FailedJobRegistry, FinishedJobRegistry
from sqlalchemy import select

from app import tasks
from app.auth.models import User
from app.db import utcnow
from app.extensions import queue, redis
from app.feedback.models import Feedback
from jobs.schedule import RECURRING, register
from tests.account.seed import make_user
from tests.e2e.conftest import no_horizontal_scroll, screenshot, serious_axe_violations
from tests.support.conftest import FLAKY, PRIVATE_NOTE, grant_support
from tests.support_code.support_jobs import ALLOW_KEY

SUPPORT_URLS = ["/support", "/support/jobs", "/support/feedback", "/support/accounts"]


def wait_until(check, timeout: float = 20, what: str = "the condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def failed_job(app) -> str:
    """A job of the live worker's that fails (its argument is a private note)."""
    with app.app_context():
        record = tasks.start(None, "sample", FLAKY, PRIVATE_NOTE)
        job_id = f"sample-{record.id}"
        registry = FailedJobRegistry(queue=queue("default"))
        wait_until(lambda: job_id in registry, what="the job to fail")
    return job_id


def sign_up_support(app, page, browser_auth, email="sam@example.com"):
    browser_auth.sign_up(page, email, "Sam Support")
    grant_support(app, email)
    page.goto("/dashboard")


def see_result(page, javascript: bool, text: str) -> None:
    """JavaScript on: the status polls by itself. Off: follow "Check again" until it is there."""
    if javascript:
        page.locator("#run-result").filter(has_text=text).wait_for(timeout=20_000)
        return
    deadline = time.time() + 20
    while page.locator("#run-result").count() == 0 and time.time() < deadline:
        time.sleep(0.3)
        page.click("text=Check again")
    assert text in page.inner_text("#run-result")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_a_support_user_runs_the_console(app, dbs, new_page, browser_auth, javascript):
    suffix = "js" if javascript else "nojs"
    page = new_page(javascript=javascript)
    sign_up_support(app, page, browser_auth, f"sam-{suffix}@example.com")
    with app.app_context():
        register(redis())
    job_id = failed_job(app)
    due = make_user(dbs, f"due-{suffix}@example.com", deleted_at=utcnow() - timedelta(days=40),
                    purge_after=utcnow() - timedelta(days=10))
    waiting = make_user(dbs, f"waiting-{suffix}@example.com", deleted_at=utcnow() - timedelta(days=1),
                        purge_after=utcnow() + timedelta(days=29))
    dbs.add(Feedback(message=f"The export button did nothing ({suffix}).", page="/account/export",
                     reply_to="visitor@example.com"))
    dbs.commit()

    # Queues and the schedule
    page.click("nav[aria-label=Main] >> text=Support")
    page.click("nav[aria-label='Support console'] >> text=Jobs")
    page.wait_for_url("**/support/jobs")
    for item in RECURRING:
        assert page.locator(f"#scheduled-{item.id} time").count() == 1, item.id
    assert page.locator("text=rq:worker").count() == 0
    row = page.locator(f"#failed-{job_id}")
    assert "[address hidden]" in row.inner_text() and PRIVATE_NOTE not in page.content()
    screenshot(page, f"support-jobs-{suffix}")
    if javascript:
        assert serious_axe_violations(page) == []

    # Retry the failed job: the live worker runs it again, and this time it succeeds
    redis_connection = app.extensions["redis"]
    redis_connection.set(ALLOW_KEY, "1")
    row.locator("button:has-text('Retry')").click()
    page.locator("text=is queued again.").wait_for()
    with app.app_context():
        finished = FinishedJobRegistry(queue=queue("default"))
        wait_until(lambda: job_id in finished, what="the retried job to finish")
    page.goto("/support/jobs")
    assert page.locator("text=No failed jobs.").count() == 1
    redis_connection.delete(ALLOW_KEY)

    # The purge dry run, as a job, and its result
    page.click("button:has-text('Run the purge dry run')")
    page.wait_for_url("**/support/runs/support-run-purge-dry-run-*")
    see_result(page, javascript, "would be purged now")
    assert page.locator(f"a[href='/support/accounts/{due.id}']").count() == 1
    assert due.email not in page.content()
    screenshot(page, f"support-dry-run-{suffix}")

    # Read the feedback message and close it
    page.click("nav[aria-label='Support console'] >> text=Feedback")
    page.click(f"text=The export button did nothing ({suffix}).")
    assert "visitor@example.com" in page.inner_text(".support-facts")
    page.click("button:has-text('Mark handled')")
    page.locator("text=is marked handled.").wait_for()
    assert page.locator("text=No open messages.").count() == 1
    dbs.expire_all()
    assert dbs.scalar(select(Feedback.status).where(Feedback.reply_to == "visitor@example.com")) == "handled"

    # Shorten one account's window
    page.click("nav[aria-label='Support console'] >> text=Accounts")
    page.fill("#email", waiting.email)
    page.click("button:has-text('Find the account')")
    page.wait_for_url(f"**/support/accounts/{waiting.id}")
    page.fill("#days", "0")
    page.fill("#reason", "Ticket 88: the user asked by e-mail on Dec 2")
    page.click("button:has-text('Shorten the window')")
    page.locator("text=The window is shortened").wait_for()
    screenshot(page, f"support-account-{suffix}")
    dbs.expire_all()
    shortened = dbs.get(User, waiting.id)
    assert shortened.purge_after == shortened.deleted_at


def test_a_plain_user_gets_403_on_every_support_page(new_page, browser_auth, app, dbs):
    page = new_page()
    browser_auth.sign_up(page, "plain@example.com", "Paula Plain")
    assert page.locator("nav[aria-label=Main] >> text=Support").count() == 0
    dbs.add(Feedback(message="hello"))
    dbs.commit()
    feedback_id = dbs.scalar(select(Feedback.id))
    user_id = dbs.scalar(select(User.id).where(User.email == "plain@example.com"))
    for path in SUPPORT_URLS + [f"/support/feedback/{feedback_id}", f"/support/accounts/{user_id}",
                                "/support/runs/support-run-purge-dry-run-0"]:
        response = page.goto(path)
        assert response.status == 403, path
        assert "You cannot open this page" in page.content()
    screenshot(page, "support-403")
    for path in ["/support/jobs/failed/x/retry", "/support/runs/purge-dry-run",
                 f"/support/feedback/{feedback_id}/handled", f"/support/accounts/{user_id}/shorten"]:
        token = page.locator("meta[name=csrf-token]").get_attribute("content")
        response = page.request.post(path, form={"csrf_token": token, "days": "0", "reason": "x"},
                                     headers={"Referer": page.url}, max_redirects=0)
        assert response.status == 403, path


def test_the_console_fits_a_phone(app, dbs, new_page, browser_auth):
    page = new_page(phone=True)
    sign_up_support(app, page, browser_auth, "sam-phone@example.com")
    with app.app_context():
        register(redis())
    failed_job(app)
    gone = make_user(dbs, "gone-phone@example.com", deleted_at=utcnow(), purge_after=utcnow() + timedelta(days=30))
    dbs.add(Feedback(message="A long message " * 30, page="/activities/new?with=a-very-long-query-string-" + "x" * 60))
    dbs.commit()
    feedback_id = dbs.scalar(select(Feedback.id))
    for path, name in [("/support", "overview"), ("/support/jobs", "jobs"), ("/support/feedback", "feedback"),
                       (f"/support/feedback/{feedback_id}", "feedback-item"),
                       (f"/support/accounts/{gone.id}", "account")]:
        page.goto(path)
        assert no_horizontal_scroll(page), path
        screenshot(page, f"support-{name}-phone")
