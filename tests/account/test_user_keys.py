"""The registry of per-user Redis keys (app.user_keys): every package's keys are in it, and the
purge deletes what it finds, a key a package registers later included, and nothing of anyone else."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from app import user_keys
from app.account import deletion
from app.activities.csv_import import Upload
from app.certificates.models import Certificate
from tests.account.seed import make_user, seed_everything
from tests.account.traces import account_redis_keys

APP = Path(__file__).resolve().parents[2] / "app"
KEY_FROM_A_USER = re.compile(r"""f(["'])[^"'\n]*\{(?:user_id|user\.id|account\.id|current_user\.id)\}[^"'\n]*\1""")
AUDIT_NAME = re.compile(r"""f(["'])user:\{[^}]+\}\1""")  # an audit actor or subject, e.g. f"user:{user.id}"


def test_every_module_that_keeps_redis_keys_from_a_user_id_goes_through_the_registry():
    """A module that talks to Redis and builds a string from a user id registers its keys or
    names them with user_key(); the conventional `user:{}:` templates need nothing more."""
    offenders = []
    for path in sorted(APP.rglob("*.py")):
        text = path.read_text()
        if "redis()" not in text and "Redis(" not in text:
            continue
        built = [m.group(0) for m in KEY_FROM_A_USER.finditer(text) if not AUDIT_NAME.fullmatch(m.group(0))]
        if built and "user_keys." not in text:
            offenders.append(str(path.relative_to(APP.parent)))
    assert offenders == []


def test_the_registry_knows_every_kind_of_key_the_app_keeps(app):
    names = {source.name for source in user_keys.sources()}
    assert {"user", "limits.user", "limits.address", "jobs", "certificates.store-jobs",
            "activities.import"} <= names
    assert all(source.holds for source in user_keys.sources())


def test_key_names_carry_the_deployment_prefix(fresh_app, dbs):
    other = fresh_app(RQ_PREFIX="ce1:")
    with other.app_context():
        assert user_keys.user_key(7, "ai-reads", "2027-03-01") == "ce1:user:7:ai-reads:2027-03-01"
        patterns, _keys = user_keys.collect(dbs, 7, "a*b@example.com")
    assert {"user:7:*", "ce1:user:7:*", "ce1:activities:import:7:*"} <= set(patterns)
    assert r"*ce1:limits*/address:a\*b@example.com/*" in patterns  # a wildcard in an address matches itself


def test_keys_written_by_the_app_and_by_a_package_registered_later_are_purged(app, dbs):
    from app.activities import importing
    from app.certificates.service import enqueue_store, store_job_id

    gone = make_user(dbs, "gone@example.com", deleted_at=datetime.now(UTC) - timedelta(days=31),
                     purge_after=datetime.now(UTC) - timedelta(days=1))
    stay = make_user(dbs, "stay@example.com")
    seeded = {user.id: seed_everything(dbs, app, user, marker) for user, marker in ((gone, "gone"), (stay, "stay"))}
    gone_id, stay_id = gone.id, stay.id
    connection = app.extensions["redis"]
    user_keys.register("test.later", "a key a package adds later",
                       patterns=lambda account: [f"later:{account.id}:*"])
    try:
        with app.app_context():
            tokens = {user_id: importing.stage(user_id, Upload("a.csv", ["title"], [["Ethics"]], [2]))
                      for user_id in (gone_id, stay_id)}
            pending = {user_id: dbs.scalar(select(Certificate.id).where(
                Certificate.user_id == user_id, Certificate.status == "pending")) for user_id in (gone_id, stay_id)}
            for certificate_id in pending.values():
                connection.delete(f"rq:job:{store_job_id(certificate_id)}")
                assert enqueue_store(certificate_id)  # a real RQ job, waiting in the queue
            for user_id in (gone_id, stay_id):
                connection.set(f"later:{user_id}:x", 1)
            plan = deletion.plan(dbs, gone_id)
            assert {f"later:{gone_id}:x", f"rq:job:{store_job_id(pending[gone_id])}"} <= set(plan.redis_keys)
            report = deletion.purge_due()
        assert list(report.purged) == [gone_id]
        job_ids = (store_job_id(pending[gone_id]), f"import:{gone_id}:{tokens[gone_id]}")
        assert account_redis_keys(app, gone_id, "gone@example.com", job_ids) == set()
        assert not connection.exists(f"later:{gone_id}:x")
        assert connection.exists(f"later:{stay_id}:x")
        assert connection.exists(f"activities:import:{stay_id}:{tokens[stay_id]}")
        assert connection.exists(f"rq:job:{store_job_id(pending[stay_id])}")
        assert all(connection.exists(key) for key in seeded[stay_id].redis_keys)
    finally:
        user_keys._SOURCES.pop("test.later", None)
        from rq import Queue
        Queue("default", connection=connection).empty()
