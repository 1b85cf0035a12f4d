"""The "read it for me" job (logic in app.reading.service)."""
from __future__ import annotations

from jobs import tracked


@tracked
def read(record_id: str, user_id: int, reading_id: str) -> str:
    from app import tasks
    from app.reading.service import run
    return run(user_id, reading_id, progress=lambda message: tasks.update(record_id, progress=message))
