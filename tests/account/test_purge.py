"""The purge: exactly the accounts past their window, everything of them, nothing of anyone else;
idempotent, resumable after a crash, and a restore a moment earlier wins."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import event, select

from app.account import deletion
from app.account.models import AccountPurge
from app.audit import AuditEvent
from app.auth.models import User
from tests.account.seed import PDF, blob_file, make_user, seed_everything
from tests.account.traces import account_redis_keys, all_rows, database_traces, files_under, redis_keys

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


class Crash(BaseException):
    """Stands for the process dying: not an Exception, so nothing on the way catches it."""


def _deleted(dbs, email: str, purge_after: datetime) -> User:
    return make_user(dbs, email, deleted_at=purge_after - timedelta(days=30), purge_after=purge_after)


def _purge(app, **kwargs):
    with app.app_context():
        return deletion.purge_due(**kwargs)


def test_purge_at_the_edge_of_the_window_leaves_exactly_the_right_survivors(app, dbs):
    users = {
        "past": _deleted(dbs, "past@example.com", NOW - timedelta(seconds=1)),
        "edge": _deleted(dbs, "edge@example.com", NOW),
        "early": _deleted(dbs, "early@example.com", NOW + timedelta(seconds=1)),
        "month": _deleted(dbs, "month@example.com", NOW + timedelta(days=29)),
        "active": make_user(dbs, "active@example.com"),
    }
    ids = {key: user.id for key, user in users.items()}
    for key, user in users.items():
        seed_everything(dbs, app, user, key)
    with time_machine.travel(NOW, tick=False):
        report = _purge(app)
    assert sorted(report.purged) == sorted([ids["past"], ids["edge"]])
    dbs.expire_all()
    survivors = set(dbs.scalars(select(User.email)))
    assert survivors == {"early@example.com", "month@example.com", "active@example.com"}
    for key in ("past", "edge"):
        assert database_traces(dbs, ids[key], f"{key}@example.com") == []


def test_after_the_window_nothing_of_the_account_remains(app, dbs, user_client, auth):
    """Everything: rows, certificate blobs, export files, Redis keys; another user's shared blob stays."""
    ann = dbs.get(User, user_client.user.id)
    bob = make_user(dbs, "bob@example.com", "Bob")
    shared = PDF + b"the same file, uploaded by both\n"
    seeded = seed_everything(dbs, app, ann, "ann", extra_blobs=[shared])
    bob_seeded = seed_everything(dbs, app, bob, "bob", extra_blobs=[shared])
    ann_id, bob_id = ann.id, bob.id
    connection = app.extensions["redis"]
    connection.set(f"user:{ann_id}:ai-reads:2027-03-01", 3)
    connection.set(f"user:{bob_id}:ai-reads:2027-03-01", 1)
    assert account_redis_keys(app, ann_id, "ann@example.com")  # the sign-in limit per address, at least
    packets = Path(app.config["INSTANCE_DIR"]) / "packets"
    for user_id in (ann_id, bob_id):  # a built audit packet of each (they hold certificate copies)
        (packets / str(user_id)).mkdir(parents=True, exist_ok=True)
        (packets / str(user_id) / "packet.pdf").write_bytes(PDF)
    user_client.post_form("/account/delete", {"confirm_email": "ann@example.com"})
    dbs.expire_all()
    due = dbs.get(User, ann_id).purge_after
    with time_machine.travel(due + timedelta(minutes=1), tick=False):
        report = _purge(app)
    assert list(report.purged) == [ann_id]
    dbs.expire_all()
    assert database_traces(dbs, ann_id, "ann@example.com") == []
    assert account_redis_keys(app, ann_id, "ann@example.com") == set()
    assert not (packets / str(ann_id)).exists() and (packets / str(bob_id) / "packet.pdf").exists()
    root = app.config["CERTIFICATE_ROOT"]
    shared_sha = seeded.blobs[-1]
    assert shared_sha == bob_seeded.blobs[-1] and blob_file(root, shared_sha).exists()
    for sha in seeded.blobs[:-1]:
        assert not blob_file(root, sha).exists()
    for sha in bob_seeded.blobs:
        assert blob_file(root, sha).exists()
    exports = Path(app.config["INSTANCE_DIR"]) / "exports"
    assert not (exports / f"{seeded.export_ids[0]}.zip").exists()
    assert (exports / f"{bob_seeded.export_ids[0]}.zip").exists()
    assert connection.exists(f"user:{bob_id}:ai-reads:2027-03-01")
    assert [key for key in seeded.redis_keys if connection.exists(key)] == []
    assert all(connection.exists(key) for key in bob_seeded.redis_keys)
    assert not any(path.exists() for path in seeded.pending_uploads)
    assert all(path.exists() for path in bob_seeded.pending_uploads)
    assert dbs.scalar(select(AccountPurge)) is None
    purged = dbs.scalar(select(AuditEvent).where(AuditEvent.action == "account_purged"))
    assert purged.user_id is None and purged.details["account"] == ann_id


def _state(app, dbs):
    dbs.expire_all()
    return (all_rows(dbs), files_under(app.config["INSTANCE_DIR"]),
            {k for k in redis_keys(app) if not k.startswith("rq:")})


def test_a_second_run_changes_nothing(app, dbs):
    for number in range(3):
        seed_everything(dbs, app, _deleted(dbs, f"gone{number}@example.com", NOW - timedelta(days=1)), f"g{number}")
    seed_everything(dbs, app, make_user(dbs, "stay@example.com"), "stay")
    with time_machine.travel(NOW, tick=False):
        first = _purge(app, batch_size=2)
        assert len(first.purged) == 3
        before = _state(app, dbs)
        second = _purge(app)
    assert second.purged == {} and second.failed == [] and second.leftovers_finished == 0
    assert _state(app, dbs) == before


def test_a_purge_that_dies_midway_through_its_deletes_completes_on_the_next_run(app, dbs):
    users = [_deleted(dbs, f"gone{n}@example.com", NOW - timedelta(days=1)) for n in range(2)]
    seeded = [seed_everything(dbs, app, user, f"g{n}") for n, user in enumerate(users)]
    ids = [user.id for user in users]
    engine = app.extensions["db_engine"]
    deletes = []

    def die_after_five_deletes(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("DELETE"):
            deletes.append(statement)
            if len(deletes) == 5:
                raise Crash()

    event.listen(engine, "before_cursor_execute", die_after_five_deletes)
    try:
        with time_machine.travel(NOW, tick=False), pytest.raises(Crash):
            _purge(app)
    finally:
        event.remove(engine, "before_cursor_execute", die_after_five_deletes)
    dbs.expire_all()
    assert set(dbs.scalars(select(User.id))) == set(ids)  # the dying transaction left everything in place
    assert all(blob_file(app.config["CERTIFICATE_ROOT"], sha).exists() for sha in seeded[0].blobs)
    with time_machine.travel(NOW, tick=False):
        report = _purge(app)
    assert sorted(report.purged) == sorted(ids)
    for number, user_id in enumerate(ids):
        assert database_traces(dbs, user_id, f"gone{number}@example.com") == []
        assert not any(blob_file(app.config["CERTIFICATE_ROOT"], sha).exists() for sha in seeded[number].blobs)


def test_a_purge_that_dies_while_removing_files_is_finished_by_the_next_run(app, dbs, monkeypatch):
    user = _deleted(dbs, "gone@example.com", NOW - timedelta(days=1))
    seeded = seed_everything(dbs, app, user, "gone")
    user_id = user.id
    original = Path.unlink
    removed = []

    def unlink_then_die(self, missing_ok=False):
        original(self, missing_ok=missing_ok)
        removed.append(self)
        if len(removed) == 2:
            raise Crash()

    monkeypatch.setattr(Path, "unlink", unlink_then_die)
    with time_machine.travel(NOW, tick=False), pytest.raises(Crash):
        _purge(app)
    monkeypatch.setattr(Path, "unlink", original)
    dbs.expire_all()
    assert dbs.get(User, user_id) is None
    leftover = dbs.scalar(select(AccountPurge))
    assert leftover.account_id == user_id and set(leftover.blobs) == set(seeded.blobs)
    root = app.config["CERTIFICATE_ROOT"]
    assert any(blob_file(root, sha).exists() for sha in seeded.blobs)
    with time_machine.travel(NOW, tick=False):
        report = _purge(app)
    assert report.leftovers_finished == 1
    dbs.expire_all()
    assert dbs.scalar(select(AccountPurge)) is None
    assert not any(blob_file(root, sha).exists() for sha in seeded.blobs)
    assert not (Path(app.config["INSTANCE_DIR"]) / "exports" / f"{seeded.export_ids[0]}.zip").exists()


def test_a_restore_on_day_29_wins(app, dbs, user_client, auth, make_client):
    start = datetime.now(UTC)
    with time_machine.travel(start, tick=False):
        user_client.post_form("/account/delete", {"confirm_email": "ann@example.com"})
    with time_machine.travel(start + timedelta(days=29), tick=False):
        client = make_client()
        code = auth.request_code(client, "ann@example.com")
        client.post_form("/sign-in/code", {"code": code})
        assert client.post_form("/welcome/restore").headers["Location"] == "/dashboard"
    with time_machine.travel(start + timedelta(days=31), tick=False):
        report = _purge(app)
    assert report.purged == {}
    assert dbs.scalar(select(User).where(User.email == "ann@example.com")) is not None


def test_the_purge_checks_each_account_again_inside_its_transaction(app, dbs):
    """Listed as due, restored before its turn came: the purge skips it."""
    user = _deleted(dbs, "late@example.com", NOW - timedelta(days=1))
    user_id = user.id
    with app.app_context():
        assert deletion.due_ids(dbs, NOW) == [user_id]
        user.deleted_at = user.purge_after = None  # the restore commits first
        dbs.commit()
        assert deletion.purge_account(user_id, NOW) is None
    dbs.expire_all()
    assert dbs.get(User, user_id) is not None


def test_dry_run_lists_what_would_go_and_changes_nothing(app, dbs):
    user = _deleted(dbs, "gone@example.com", NOW - timedelta(days=1))
    bob = make_user(dbs, "bob@example.com")
    shared = PDF + b"shared\n"
    seeded = seed_everything(dbs, app, user, "gone", extra_blobs=[shared])
    seed_everything(dbs, app, bob, "bob", extra_blobs=[shared])
    app.extensions["redis"].set(f"user:{user.id}:ai-reads:x", 1)
    before = _state(app, dbs)
    with time_machine.travel(NOW, tick=False):
        result = app.test_cli_runner().invoke(args=["accounts", "purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "gone@example.com" in result.output and "bob@example.com" not in result.output
    assert "rows   activities: 1" in result.output and "rows   users: 1" in result.output
    assert f"blob   {seeded.blobs[0]}" in result.output
    assert f"keep   {seeded.blobs[-1]}" in result.output
    assert f"export {seeded.export_ids[0]}.zip" in result.output
    assert f"redis  user:{user.id}:ai-reads:x" in result.output
    assert _state(app, dbs) == before


def test_cli_purge_runs_it(app, dbs):
    user = _deleted(dbs, "gone@example.com", datetime.now(UTC) - timedelta(days=1))
    user_id = user.id
    result = app.test_cli_runner().invoke(args=["accounts", "purge"])
    assert result.exit_code == 0 and "purged 1 account(s)" in result.output
    dbs.expire_all()
    assert dbs.get(User, user_id) is None


def test_support_shortens_one_window_on_written_request(app, dbs, user_client):
    user_client.post_form("/account/delete", {"confirm_email": "ann@example.com"})
    runner = app.test_cli_runner()
    result = runner.invoke(args=["accounts", "shorten-window", "ann@example.com", "--days", "0",
                                 "--reason", "ticket 1234: written request"])
    assert result.exit_code == 0, result.output
    dbs.expire_all()
    user = dbs.scalar(select(User).where(User.email == "ann@example.com"))
    assert user.purge_after == user.deleted_at
    event_row = dbs.scalar(select(AuditEvent).where(AuditEvent.action == "purge_window_shortened"))
    assert event_row.details["reason"] == "ticket 1234: written request" and event_row.details["days"] == 0
    report = _purge(app)
    assert list(report.purged) == [user.id]


def test_shorten_window_refuses_active_accounts_and_longer_windows(app, dbs, user_client):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["accounts", "shorten-window", "ann@example.com", "--days", "1", "--reason", "r"])
    assert result.exit_code != 0 and "is not deleted" in result.output
    user_client.post_form("/account/delete", {"confirm_email": "ann@example.com"})
    result = runner.invoke(args=["accounts", "shorten-window", "ann@example.com", "--days", "45", "--reason", "r"])
    assert result.exit_code != 0 and "would not shorten" in result.output
    result = runner.invoke(args=["accounts", "shorten-window", "nobody@example.com", "--days", "1", "--reason", "r"])
    assert result.exit_code != 0 and "no account" in result.output


def test_the_purge_and_export_clean_up_are_scheduled_daily_and_hourly(app):
    from jobs.schedule import RECURRING, register, registered
    by_id = {item.id: item for item in RECURRING}
    assert by_id["account-purge-daily"].func == "jobs.account.purge_due_accounts"
    assert by_id["account-purge-daily"].cron == "30 3 * * *"
    assert by_id["export-cleanup-hourly"].func == "jobs.account.clean_up_exports"
    connection = app.extensions["redis"]
    register(connection)
    register(connection)
    ids = [job_id for job_id, _ in registered(connection)]
    assert ids.count("account-purge-daily") == 1 and ids.count("export-cleanup-hourly") == 1


def test_the_scheduled_job_purges(app, dbs, run_jobs):
    user = _deleted(dbs, "gone@example.com", datetime.now(UTC) - timedelta(days=1))
    user_id = user.id
    with app.app_context():
        from app import tasks
        tasks.enqueue("jobs.account.purge_due_accounts", queue_name="low")
    run_jobs()
    dbs.expire_all()
    assert dbs.get(User, user_id) is None


def test_a_restore_in_progress_holds_the_purge_until_it_commits_and_then_wins(app, dbs):
    """The purge locks the user row (FOR UPDATE on PostgreSQL, the write lock on SQLite): it waits
    for a restore that is under way, then sees the account restored and leaves it alone."""
    import threading

    from sqlalchemy import update
    user = _deleted(dbs, "racing@example.com", NOW - timedelta(days=1))
    user_id = user.id
    dbs.execute(update(User).where(User.id == user_id).values(deleted_at=None, purge_after=None))  # not committed
    outcome = {}

    def purge():
        with app.app_context():
            outcome["result"] = deletion.purge_account(user_id, NOW)

    worker = threading.Thread(target=purge)
    worker.start()
    worker.join(timeout=1.0)
    assert worker.is_alive(), "the purge did not wait for the restore's transaction"
    dbs.commit()
    worker.join(timeout=30)
    assert not worker.is_alive() and outcome["result"] is None
    dbs.expire_all()
    assert dbs.get(User, user_id).deleted_at is None
