"""Cached progress: recomputed after any write, and pages whose query count does not grow with activities."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from app.activities.signals import activities_changed
from app.licenses import progress_cache
from tests.licenses.helpers import add_activity, add_license, form_fields


@contextmanager
def counting_queries(app):
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = app.extensions["db_engine"]
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def queries_for(app, client, url: str) -> int:
    with counting_queries(app) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


def activities_written(app, user_id: int) -> None:
    """What the activity pages do after each write."""
    with app.app_context():
        activities_changed.send(None, user_id=user_id)


def seed(dbs, user_id, licenses, count: int, start: date) -> None:
    topics = ["ethics", "cultural_diversity", "general", "boundaries"]
    for n in range(count):
        add_activity(dbs, user_id, licenses, hours="0.5", completed_on=start + timedelta(days=n % 300),
                     fmt=("live", "live_online", "self_study")[n % 3], topics={topics[n % 4]: "0.5"},
                     title=f"Course {n}", commit=False)
    dbs.commit()


def test_query_counts_do_not_grow_with_the_number_of_activities(app, user_client, dbs):
    uid = user_client.user.id
    today = date.today()
    start = today - timedelta(days=400)
    tx = add_license(dbs, uid, "tx-lpc", start=start, deadline=today + timedelta(days=300))
    ny = add_license(dbs, uid, "ny-lmhc", start=start, deadline=today + timedelta(days=600), issuing_body="New York")
    pages = ["/dashboard", f"/licenses/{tx.id}", f"/licenses/{ny.id}"]

    def measure() -> dict[str, tuple[int, int]]:
        found = {}
        for url in pages:
            activities_written(app, uid)  # the cache is cold: figures computed from the database
            cold = queries_for(app, user_client, url)
            warm = queries_for(app, user_client, url)
            found[url] = (cold, warm)
        return found

    seed(dbs, uid, [tx, ny], 10, start)
    with_10 = measure()
    seed(dbs, uid, [tx, ny], 190, start)
    with_200 = measure()
    assert with_10 == with_200
    for url, (cold, warm) in with_200.items():
        assert warm < cold, url  # warm reads skip the activities entirely
    figures = user_client.get(f"/licenses/{tx.id}").get_data(as_text=True)
    assert "Logged toward it in this cycle (200)" in figures and "All 200 activities of this cycle" in figures
    assert figures.count('<li><a href="/activities/') == 10  # the newest ten, linked; the rest on the cycle page


def test_an_activity_write_signal_brings_new_figures(app, user_client, dbs):
    uid = user_client.user.id
    today = date.today()
    tx = add_license(dbs, uid, "tx-lpc", start=today - timedelta(days=100), deadline=today + timedelta(days=600))
    assert "0 of 24 h" in user_client.get("/dashboard").get_data(as_text=True)
    add_activity(dbs, uid, [tx], hours="5", completed_on=today)
    # No signal yet: the cached figures stand (this is what makes the dashboard cheap) ...
    assert "0 of 24 h" in user_client.get("/dashboard").get_data(as_text=True)
    activities_written(app, uid)
    # ... and the signal every activity write sends makes every page recompute.
    assert "5 of 24 h" in user_client.get("/dashboard").get_data(as_text=True)
    assert "5 of 24 h" in user_client.get(f"/licenses/{tx.id}").get_data(as_text=True)


def test_another_users_writes_leave_my_cached_figures_alone(app, user_client, dbs):
    uid = user_client.user.id
    add_license(dbs, uid, "tx-lpc", start=date.today() - timedelta(days=10),
                deadline=date.today() + timedelta(days=700))
    user_client.get("/dashboard")
    with app.app_context():
        mine = progress_cache.progress_version(uid)
        activities_written(app, uid + 1000)
        assert progress_cache.progress_version(uid) == mine
        activities_written(app, uid)
        assert progress_cache.progress_version(uid) != mine


def test_license_writes_bring_new_figures(user_client, dbs):
    uid = user_client.user.id
    tx = add_license(dbs, uid, "tx-lpc", start=date.today() - timedelta(days=10),
                     deadline=date.today() + timedelta(days=700))
    assert "0 of 24 h" in user_client.get("/dashboard").get_data(as_text=True)
    fields = form_fields(user_client.get(f"/licenses/{tx.id}/edit").get_data(as_text=True), f"/licenses/{tx.id}/edit")
    fields["total_hours"] = "30"
    assert user_client.post(f"/licenses/{tx.id}/edit", data=fields).status_code == 303
    assert "0 of 30 h" in user_client.get("/dashboard").get_data(as_text=True)
    user_client.post_form(f"/licenses/{tx.id}/delete")
    assert "Start with your first license" in user_client.get("/dashboard").get_data(as_text=True)


def test_without_redis_figures_are_computed_fresh_not_an_error(fresh_app):
    app = fresh_app(REDIS_URL="redis://127.0.0.1:1/0")
    calls = []
    with app.app_context():
        for _ in range(2):
            assert progress_cache.cached("cards", 1, date.today(), lambda: calls.append(1) or "fresh") == "fresh"
        progress_cache.bump_progress_version(1)  # logs, never raises
    assert len(calls) == 2


def test_the_local_cache_forgets_old_entries():
    cache = progress_cache.LocalCache(max_entries=2, max_age=60)
    for n in range(3):
        cache.put(("cards", n, "v", None), n)
    assert cache.get(("cards", 0, "v", None)) is None and cache.get(("cards", 2, "v", None)) == 2
    cache.forget_user(2)
    assert cache.get(("cards", 2, "v", None)) is None
    stale = progress_cache.LocalCache(max_age=-1)
    stale.put(("cards", 1, "v", None), 1)
    assert stale.get(("cards", 1, "v", None)) is None


@pytest.mark.parametrize("kind", ["cards"])
def test_cached_values_are_kept_per_user_version_and_day(app, kind):
    today = date.today()
    with app.app_context():
        first = progress_cache.cached(kind, 7, today, lambda: ["computed"])
        assert progress_cache.cached(kind, 7, today, lambda: ["again"]) is first
        assert progress_cache.cached(kind, 7, today + timedelta(days=1), lambda: ["tomorrow"]) == ["tomorrow"]
        progress_cache.bump_progress_version(7)
        assert progress_cache.cached(kind, 7, today, lambda: ["after a write"]) == ["after a write"]
