"""Faults: Redis down while the web process works, and a hashing job interrupted at every step."""
from __future__ import annotations

import hashlib
import os
import time

import pytest

from app.certificates import service, sweeps
from app.certificates.storage import LocalBlobStore
from tests.certificates import samples
from tests.certificates.conftest import certificate_id, certificate_row, staged, upload
from tests.certificates.test_store_job import reconcile_later

DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def down(app, fresh_app, user_client):
    """A client of a second web process whose Redis is down, signed in as Ann (same database and store)."""
    dead = fresh_app(REDIS_URL=DEAD_REDIS, CERTIFICATE_ROOT=app.config["CERTIFICATE_ROOT"])
    client = dead.test_client()
    cookie = user_client.get_cookie("session")
    client.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
    client.user = user_client.user
    return client


def test_redis_down_at_upload_keeps_the_file_pending_until_the_reconciler_queues_it(
        app, down, dbs, store, run_jobs, caplog):
    content = samples.jpeg(seed=7)
    response = upload(down, content, "IMG_2041.JPG")
    assert response.status_code == 303
    number = certificate_id(response)
    assert "waits for the reconciler" in caplog.text
    page = down.get(response.headers["Location"])
    assert page.status_code == 200 and "Verifying" in page.get_data(as_text=True)
    fragment = down.htmx_get(f"/certificates/{number}", target="certificate-status")
    assert fragment.status_code == 200 and 'hx-trigger="every 2s"' in fragment.get_data(as_text=True)
    row = certificate_row(dbs, number)
    assert row.status == "pending" and store.pending_path(row.pending_name).read_bytes() == content
    assert app.extensions["redis"].llen("rq:queue:default") == 0  # nothing could be queued
    assert reconcile_later(app).enqueued == [number]  # Redis is back: the scheduled reconciler runs
    run_jobs()
    row = certificate_row(dbs, number)
    assert row.status == "verified" and staged(store) == []
    assert down.get(f"/certificates/{number}/file").data == content  # serving needs no Redis


def test_redis_down_at_delete_leaves_the_blob_for_the_clean_up(app, user_client, down, dbs, store, run_jobs):
    number = certificate_id(upload(user_client, samples.pdf()))
    run_jobs()
    digest = certificate_row(dbs, number).sha256
    response = down.post_form(f"/certificates/{number}/delete")
    assert response.status_code == 303 and certificate_row(dbs, number) is None
    assert store.exists(digest)  # no lock could be had, so the blob was not touched
    with app.app_context():
        assert sweeps.cleanup().removed_blobs == 1
    assert list(store.blobs()) == []


class Interrupted(BaseException):
    """What a worker killed at this point would leave: nothing after it runs (not even `except Exception`)."""


def _half_then_stop(path):
    with open(path, "rb") as stream:
        stream.read(os.path.getsize(path) // 2)
    raise Interrupted("killed while hashing")


def _stop(*_args, **_kwargs):
    raise Interrupted("killed")


# Where the job is stopped: (what is replaced, by what)
STEPS = {
    "mid-hash": ("app.certificates.service.hash_file", _half_then_stop),
    "after the hash was recorded": ("app.certificates.storage.LocalBlobStore.put", _stop),
    "after the move": ("app.certificates.storage.LocalBlobStore.verify", _stop),
    "after the check, before marking verified": ("app.certificates.service._mark_verified", _stop),
}


def _invariants(store: LocalBlobStore, dbs, number: int) -> None:
    """No half blob at a final path; no row pointing at a blob that is not there."""
    for digest in store.blobs():
        assert hashlib.sha256(store.path(digest).read_bytes()).hexdigest() == digest
    assert not [p for p in store.root.glob("??/??/*") if p.name not in set(store.blobs())]
    row = certificate_row(dbs, number)
    if row.status == "verified":
        assert store.exists(row.sha256)
    else:
        assert row.status == "pending"
        assert store.pending_path(row.pending_name).exists() or (row.sha256 and store.exists(row.sha256))


@pytest.mark.parametrize("step", list(STEPS))
def test_a_job_interrupted_at_any_step_finishes_when_run_again(app, user_client, dbs, store, monkeypatch, step):
    content = samples.large_pdf(3 * 1024 * 1024)
    number = certificate_id(upload(user_client, content))
    target, stand_in = STEPS[step]
    with monkeypatch.context() as patched:
        patched.setattr(target, stand_in)
        with app.app_context(), pytest.raises(Interrupted):
            service.store_pending(number)
    assert certificate_row(dbs, number).status == "pending"
    _invariants(store, dbs, number)
    with app.app_context():
        assert service.store_pending(number) == "verified"
    _invariants(store, dbs, number)
    row = certificate_row(dbs, number)
    assert store.path(row.sha256).read_bytes() == content and staged(store) == []
    assert user_client.get(f"/certificates/{number}/file").data == content


def test_a_half_received_upload_never_becomes_a_blob_and_is_cleaned_up(app, user_client, dbs, store, run_jobs):
    """A web process killed mid-upload leaves a partial temporary file: never stored, removed when stale."""
    content = samples.pdf()
    store.tmp.mkdir(parents=True, exist_ok=True)
    partial = store.tmp / "upload-killedmidway"
    partial.write_bytes(content[: len(content) // 2])
    number = certificate_id(upload(user_client, content))
    run_jobs()
    assert list(store.blobs()) == [certificate_row(dbs, number).sha256]
    with app.app_context():
        assert sweeps.cleanup().removed_temporary == 0  # it may still be arriving
    past = time.time() - 7 * 3600
    os.utime(partial, (past, past))
    with app.app_context():
        assert sweeps.cleanup().removed_temporary == 1
    assert staged(store) == [] and list(store.blobs()) == [certificate_row(dbs, number).sha256]
