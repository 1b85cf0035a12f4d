"""Throughput of the signed-in pages against a bare Flask response, on one gunicorn server.

    python bench/pages.py [--seconds 10] [--rounds 10] [--threads 4] [--redis redis://127.0.0.1:6379/5]

Seeds a user with 5 licenses and 2,000 activities in a SQLite file under a temporary
directory, serves the app with gunicorn (2 workers, as the Procfile does) on a free loopback
port, and loads each page from Python threads over keep-alive HTTP connections (gunicorn's sync
workers close each connection; the clients then reconnect), in interleaved rounds:
a bare response of the same app (same middleware, session and headers), the dashboard and
the activity list's first page. Where this checkout has no activity list (/activities), it
measures a license page (/licenses/<id>) instead and says so.

Prints requests per second, the ratio to the bare response, the median latency, and the SQL
statements each page runs (counted in-process on the same app and database, with the progress
cache cold and warm). Figures are for comparing pages within one run, never absolutes.
"""
from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import closing
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from sqlalchemy import event  # noqa: E402

SECRET = "bench-secret-key-0123456789abcdef0123456789abcdef"
BARE_PATH = "/bench/bare"
RULE_SETS = ["tx-lpc", "ny-lmhc", "fl-lcsw", "ga-lpc", "ca-lcsw"]
TOPICS = ["ethics", "cultural_diversity", "general", "suicide_prevention", "law", "boundaries"]
FORMATS = ["live", "live_online", "self_study"]


def serve():
    """gunicorn entry point: the app as wsgi.py builds it, plus one bare route to compare with."""
    from app import create_app

    app = create_app()

    @app.get(BARE_PATH)
    def bare():
        return "ok"

    return app


def settings(workdir: Path, redis_url: str) -> dict[str, str]:
    return {"APP_ENV": "production", "SECRET_KEY": SECRET, "DATABASE_URL": f"sqlite:///{workdir / 'bench.db'}",
            "REDIS_URL": redis_url, "INSTANCE_DIR": str(workdir / "instance"), "MAIL_URL": "console://",
            "BASE_URL": "http://127.0.0.1", "LOG_LEVEL": "WARNING", "SESSION_COOKIE_SECURE": "0"}


def seed(app) -> tuple[int, list[int]]:
    """A user with 5 licenses and 2,000 activities, each counting toward one or two of them."""
    from app import db
    from app.activities.models import Activity, ActivityTopic
    from app.auth.models import User
    from app.db import utcnow
    from app.licenses.catalog import load_catalog
    from app.licenses.models import License, LicenseCycle
    from app.models import Base

    Base.metadata.create_all(app.extensions["db_engine"])
    today = date.today()
    user = User(email="bench@example.com", name="Bench User", time_zone="America/Chicago",
                age_confirmed_at=utcnow(), terms_accepted_at=utcnow(), terms_version="1")
    db.session.add(user)
    db.session.flush()
    licenses = []
    for n, slug in enumerate(RULE_SETS):
        rule_set = load_catalog().get(slug)
        license = License(user_id=user.id, profession=rule_set.title, credential=rule_set.license_type,
                          issuing_body=rule_set.state, rule_set_slug=slug, rules=rule_set.to_dict(),
                          applicable_conditions=[])
        license.cycles.append(LicenseCycle(user_id=user.id, cycle_start=today - timedelta(days=600),
                                           renewal_deadline=today + timedelta(days=100 + 90 * n),
                                           cycle_number=1, carried_in_hours=Decimal(0), last_met_cycle={}))
        licenses.append(license)
    db.session.add_all(licenses)
    for n in range(2000):
        activity = Activity(user_id=user.id, title=f"Course {n}", provider="Provider", hours=Decimal("1.5"),
                            completed_on=today - timedelta(days=n % 590), format=FORMATS[n % 3],
                            approval_body="NBCC" if n % 2 else "APA")
        activity.topics = [ActivityTopic(topic=TOPICS[n % 6], hours=Decimal("1")),
                           ActivityTopic(topic="general", hours=Decimal("0.5"))] if n % 6 != 2 else \
            [ActivityTopic(topic="general", hours=Decimal("1.5"))]
        activity.licenses = [licenses[n % 5]] + ([licenses[(n + 1) % 5]] if n % 3 == 0 else [])
        db.session.add(activity)
    db.session.commit()
    return user.id, [license.id for license in licenses]


def session_cookie(app, user_id: int) -> str:
    """The signed session cookie a sign-in would set, made with the server's own secret."""
    from flask import session
    from flask_login import login_user

    from app import db
    from app.auth.models import User

    with app.test_request_context():
        login_user(db.session.get(User, user_id), remember=False)
        session.permanent = True
        value = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    return f"{app.config['SESSION_COOKIE_NAME']}={value}"


def count_queries(app, client, path: str, user_id: int) -> tuple[int, int]:
    """SQL statements for one request with the progress cache cold, then warm."""
    from app.activities.signals import activities_changed

    statements = []

    def listener(*_args):
        statements.append(1)

    engine = app.extensions["db_engine"]
    with app.app_context():
        activities_changed.send(None, user_id=user_id)
    figures = []
    for _ in range(2):
        statements.clear()
        event.listen(engine, "before_cursor_execute", listener)
        try:
            response = client.get(path)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        assert response.status_code == 200, (path, response.status_code)
        figures.append(len(statements))
    return figures[0], figures[1]


def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(port: int, server: subprocess.Popen) -> None:
    deadline = time.time() + 30
    while time.time() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited before serving")
        try:
            with closing(http.client.HTTPConnection("127.0.0.1", port, timeout=2)) as conn:
                conn.request("GET", BARE_PATH)
                if conn.getresponse().status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer in 30 s")


def load(port: int, path: str, cookie: str, seconds: float, threads: int) -> tuple[int, float, list[float], int]:
    """(requests done, seconds taken, latencies, errors) with `threads` keep-alive clients."""
    latencies: list[list[float]] = [[] for _ in range(threads)]
    errors = [0] * threads
    stop_at = time.perf_counter() + seconds
    headers = {"Cookie": cookie, "Connection": "keep-alive"}

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors[index] += 1
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            except (OSError, http.client.HTTPException):
                errors[index] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            latencies[index].append(time.perf_counter() - started)
        conn.close()

    started = time.perf_counter()
    workers = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    done = [value for chunk in latencies for value in chunk]
    return len(done), elapsed, done, sum(errors)


def interleaved(port: int, paths: list[str], cookie: str, seconds: float, threads: int,
                rounds: int) -> dict[str, tuple[float, float, int]]:
    """Pages measured in turn, a slice each per round, so a change in machine load hits all alike."""
    totals = {path: [0, 0.0, [], 0] for path in paths}
    for _ in range(rounds):
        for path in paths:
            count, elapsed, latencies, errors = load(port, path, cookie, seconds / rounds, threads)
            total = totals[path]
            total[0] += count
            total[1] += elapsed
            total[2].extend(latencies)
            total[3] += errors
    return {path: (count / elapsed, statistics.median(latencies) * 1000 if latencies else float("nan"), errors)
            for path, (count, elapsed, latencies, errors) in totals.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="load time per page, over all rounds")
    parser.add_argument("--threads", type=int, default=4, help="concurrent keep-alive clients")
    parser.add_argument("--rounds", type=int, default=10, help="turns each page's load time is split into")
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5"))
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="cetracker-bench-") as tmp:
        workdir = Path(tmp)
        env = {**os.environ, **settings(workdir, args.redis)}
        os.environ.update(settings(workdir, args.redis))
        app = serve()
        with app.app_context():
            user_id, license_ids = seed(app)
        cookie = session_cookie(app, user_id)
        has_activity_list = any(rule.rule == "/activities" for rule in app.url_map.iter_rules())
        second = ("activity list", "/activities") if has_activity_list else \
            ("license page", f"/licenses/{license_ids[0]}")
        if not has_activity_list:
            print("No /activities route in this checkout: measuring a license page "
                  f"({second[1]}) in place of the activity list.")
        pages = [("bare response", BARE_PATH), ("dashboard", "/dashboard"), second]

        client = app.test_client()
        client.set_cookie(*cookie.split("=", 1), domain="localhost")
        queries = {path: count_queries(app, client, path, user_id) for _, path in pages}

        port = free_port()
        log = open(workdir / "gunicorn.log", "ab")
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "2",
             "--timeout", "60", "bench.pages:serve()"], cwd=REPO, env=env, stdout=log, stderr=log)
        try:
            wait_until_up(port, server)
            for _, path in pages:  # warm each worker's cache and imports
                load(port, path, cookie, 0.5, args.threads)
            results = interleaved(port, [path for _, path in pages], cookie, args.seconds, args.threads,
                                  args.rounds)
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
            log.close()

    bare_rps = results[BARE_PATH][0]
    print(f"5 licenses, 2,000 activities; gunicorn 2 workers; {args.threads} keep-alive client threads; "
          f"{args.seconds:g} s per page in {args.rounds} interleaved rounds; {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}; Python {sys.version.split()[0]}")
    print(f"{'page':<16}{'path':<16}{'req/s':>9}{'of bare':>9}{'median ms':>11}{'SQL cold':>10}{'SQL warm':>10}"
          f"{'errors':>8}")
    for name, path in pages:
        rps, median, errors = results[path]
        cold, warm = queries[path]
        print(f"{name:<16}{path:<16}{rps:>9.0f}{rps / bare_rps:>9.0%}{median:>11.1f}{cold:>10}{warm:>10}{errors:>8}")
    print("Goal: each page at least 20% of the bare response's requests per second.")


if __name__ == "__main__":
    main()
