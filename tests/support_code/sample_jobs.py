"""Tiny job functions for tests/test_jobs.py, enqueued by dotted name like the real ones."""
from __future__ import annotations

from jobs import tracked


class UnreadableFile(Exception):
    user_message = "The file could not be read. Upload a PDF or a photo."


@tracked
def report_state(record_id: str) -> str:
    """Returns a result URL that tells which state the record was in while the job ran."""
    from app import db
    from app.tasks import JobRecord
    record = db.session.get(JobRecord, record_id)
    return f"/results/{record.state}"


@tracked
def fail_for_the_user(record_id: str) -> None:
    raise UnreadableFile("pypdf: EOF marker not found")


@tracked
def crash(record_id: str) -> None:
    raise KeyError("internal detail that must not reach the page")


def process_facts() -> dict:
    """What a work horse sees: its pid, whether the app was already built when it forked, a DB answer."""
    import os

    from sqlalchemy import text

    import jobs
    from app import db
    built_before = jobs._app is not None

    @jobs.with_app
    def ask() -> int:
        return db.session.execute(text("SELECT 1")).scalar_one()
    return {"pid": os.getpid(), "app_built_before_the_job": built_before, "database": ask()}
