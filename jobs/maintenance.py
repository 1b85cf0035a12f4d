"""Housekeeping jobs."""
from __future__ import annotations

import time

from jobs import with_app


@with_app
def delete_spent_sign_in_tokens() -> int:
    from app.auth.tokens import delete_spent
    return delete_spent()


@with_app
def heartbeat() -> float:
    from app.extensions import redis
    now = time.time()
    redis().set("cetracker:heartbeat", now, ex=600)
    return now
