"""/healthz: the database, Redis, a live worker and a live scheduler, each checked for real."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rq import Worker
from rq_scheduler import Scheduler

from app.extensions import redis
from tests.mailbox import free_port

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def live_worker(app, redis_url, tmp_path):
    """A real `rq worker` process on our Redis db, stopped by its PID (it registers its death)."""
    name = f"health-{os.getpid()}-{time.time_ns()}"
    log = open(tmp_path / "worker.log", "wb")
    process = subprocess.Popen([str(Path(sys.executable).parent / "rq"), "worker", "--url", redis_url,
                                "--path", str(ROOT), "--name", name, "low"], cwd=ROOT, stdout=log, stderr=log)
    with app.app_context():
        deadline = time.time() + 20
        while name not in {w.name for w in Worker.all(connection=redis())}:
            assert process.poll() is None and time.time() < deadline, (tmp_path / "worker.log").read_text()
            time.sleep(0.1)
    yield process
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)


@pytest.fixture
def live_scheduler(app):
    with app.app_context():
        scheduler = Scheduler(connection=redis())
        scheduler.register_birth()
    yield scheduler
    scheduler.register_death()


def test_healthy_when_every_part_is_alive(client, live_worker, live_scheduler):
    response = client.get("/healthz")
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"status": "ok", "failed": [], "checks": {
        "database": "ok", "redis": "ok", "worker": "ok", "scheduler": "ok"}}
    assert response.headers["Cache-Control"] == "no-store"


def test_names_the_worker_and_scheduler_once_they_stop(client, live_worker, live_scheduler):
    assert client.get("/healthz").status_code == 200
    live_worker.send_signal(signal.SIGTERM)
    live_worker.wait(timeout=20)
    live_scheduler.register_death()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["failed"] == ["worker", "scheduler"]


def test_names_worker_and_scheduler_when_none_ever_started(client):
    response = client.get("/healthz")
    body = response.get_json()
    assert response.status_code == 503 and body["status"] == "failing"
    assert body["failed"] == ["worker", "scheduler"]
    assert body["checks"]["database"] == "ok" and body["checks"]["redis"] == "ok"


def test_names_redis_when_it_is_unreachable(fresh_app):
    dead = fresh_app(REDIS_URL=f"redis://127.0.0.1:{free_port()}/1")
    response = dead.test_client().get("/healthz")
    body = response.get_json()
    assert response.status_code == 503
    assert "redis" in body["failed"] and body["checks"]["redis"].startswith("failed: ConnectionError")
    assert body["checks"]["database"] == "ok"
