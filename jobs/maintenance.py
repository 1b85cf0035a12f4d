"""Housekeeping jobs."""
from __future__ import annotations

import time

from jobs import with_app


@with_app
def heartbeat() -> float:
    from app.extensions import redis
    now = time.time()
    redis().set("cetracker:heartbeat", now, ex=600)
    return now
