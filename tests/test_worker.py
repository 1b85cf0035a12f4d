"""The production worker class (jobs.worker.AppWorker): a real `rq worker` process builds the app
once, before it forks, and every work horse still gets database connections of its own."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from rq import Queue

from app.extensions import redis

ROOT = Path(__file__).resolve().parents[1]
PROCFILE = (ROOT / "Procfile").read_text()


def _wait(job, seconds: float = 60):
    deadline = time.time() + seconds
    while job.get_status(refresh=True) not in ("finished", "failed"):
        assert time.time() < deadline, "the worker never finished the job"
        time.sleep(0.05)
    return job


def test_procfile_runs_the_app_worker():
    assert "--worker-class jobs.worker.AppWorker" in PROCFILE


def test_work_horses_inherit_the_built_app_and_open_their_own_connections(app, redis_url, database_url, tmp_path):
    env = {**os.environ, "APP_ENV": "development", "SECRET_KEY": "w" * 40, "DATABASE_URL": database_url,
           "REDIS_URL": redis_url, "INSTANCE_DIR": str(tmp_path), "LOG_LEVEL": "WARNING"}
    log = open(tmp_path / "worker.log", "wb")
    worker = subprocess.Popen([str(Path(sys.executable).parent / "rq"), "worker", "--worker-class",
                               "jobs.worker.AppWorker", "--url", redis_url, "--path", str(ROOT), "low"],
                              cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        with app.app_context():
            queue = Queue("low", connection=redis())
            jobs = [_wait(queue.enqueue("tests.support_code.sample_jobs.process_facts", result_ttl=60))
                    for _ in range(3)]
        assert [job.get_status() for job in jobs] == ["finished"] * 3, (tmp_path / "worker.log").read_text()
        facts = [job.return_value() for job in jobs]
        assert all(f["app_built_before_the_job"] and f["database"] == 1 for f in facts), facts
        assert len({f["pid"] for f in facts}) == 3  # a fork per job, each with its own connections
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=20)
