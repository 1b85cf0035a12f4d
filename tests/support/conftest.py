"""A signed-in support user (the role granted by the real CLI command) and a failing job."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app import tasks
from app.audit import AuditEvent
from tests.support_code.support_jobs import ALLOW_KEY

FLAKY = "tests.support_code.support_jobs.fails_until_allowed"
PRIVATE_NOTE = "Call Dr. Quill about client Jane Roe"


def grant_support(app, email: str) -> None:
    result = app.test_cli_runner().invoke(args=["users", "grant-support", email])
    assert result.exit_code == 0, result.output


@pytest.fixture
def support_client(app, make_client, auth):
    """Sam, signed in, with the support role."""
    client = make_client()
    client.user = auth.sign_up(client, "sam@example.com", "Sam Support")
    grant_support(app, "sam@example.com")
    return client


@pytest.fixture
def failed_job(app, user_client, run_jobs):
    """A tracked job of Ann's, carrying a private note as its argument, that failed once."""
    with app.app_context():
        record = tasks.start(user_client.user.id, "sample", FLAKY, PRIVATE_NOTE)
    run_jobs()
    job_id = f"sample-{record.id}"
    return job_id, record.id


def support_events(dbs, support_user_id: int) -> list[AuditEvent]:
    dbs.expire_all()
    return list(dbs.scalars(select(AuditEvent).where(AuditEvent.actor == f"support:{support_user_id}")
                            .order_by(AuditEvent.id)))


@pytest.fixture
def allow_retry(app):
    def allow() -> None:
        app.extensions["redis"].set(ALLOW_KEY, "1")
    return allow
