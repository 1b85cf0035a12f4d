"""/healthz: the database, Redis, a live worker and a live scheduler, each checked for real."""
from __future__ import annotations

from flask import Blueprint, jsonify
from rq import Worker
from sqlalchemy import text

from app import db
from app.extensions import redis

bp = Blueprint("health", __name__)

SCHEDULER_PREFIX = "rq:scheduler_instance:"


def check_database() -> None:
    db.session.execute(text("SELECT 1"))


def check_redis() -> None:
    redis().ping()


def check_worker() -> None:
    workers = Worker.all(connection=redis())
    if not workers:
        raise RuntimeError("no worker is running")


def check_scheduler() -> None:
    connection = redis()
    for key in connection.scan_iter(match=SCHEDULER_PREFIX + "*"):
        if not connection.hexists(key, "death"):
            return
    raise RuntimeError("no scheduler is running")


CHECKS = {"database": check_database, "redis": check_redis,
          "worker": check_worker, "scheduler": check_scheduler}


@bp.get("/healthz")
def healthz():
    """200 when everything answers; 503 naming what failed."""
    results, failed = {}, []
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = "ok"
        except Exception as exc:  # each failure is reported, none stops the others
            results[name] = f"failed: {exc.__class__.__name__}: {str(exc)[:200]}"
            failed.append(name)
    body = {"status": "ok" if not failed else "failing", "failed": failed, "checks": results}
    response = jsonify(body)
    response.status_code = 200 if not failed else 503
    response.headers["Cache-Control"] = "no-store"
    return response
