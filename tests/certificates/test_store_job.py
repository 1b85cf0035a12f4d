"""The hashing job: into content-addressed storage, shared blobs without a signal, every interruption."""
from __future__ import annotations

import hashlib
import io
import os
import re
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from redis import Redis
from rq import Worker
from rq.job import Job, JobStatus
from sqlalchemy import update

from app.certificates import service
from app.certificates.models import Certificate
from tests.certificates import samples
from tests.certificates.conftest import audit_actions, certificate_id, certificate_row, staged, upload
from tests.conftest import SECRET

ROOT = Path(__file__).resolve().parents[2]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_job_moves_the_upload_into_content_addressed_storage(user_client, dbs, store, run_jobs):
    content = samples.pdf()
    response = upload(user_client, content)
    run_jobs()
    row = certificate_row(dbs, certificate_id(response))
    digest = sha(content)
    assert (row.status, row.sha256, row.pending_name, row.error) == ("verified", digest, None, None)
    assert row.verified_at is not None and row.checked_at is not None
    blob = Path(store.root) / digest[:2] / digest[2:4] / digest
    assert blob.read_bytes() == content
    assert staged(store) == [] and list(store.blobs()) == [digest]
    page = user_client.get(f"/certificates/{row.id}").get_data(as_text=True)
    assert "Verified." in page and f'href="/certificates/{row.id}/file"' in page and "every 2s" not in page


def test_status_fragment_polls_until_verified(user_client, run_jobs):
    number = certificate_id(upload(user_client, samples.jpeg(), "photo.jpg"))
    fragment = user_client.htmx_get(f"/certificates/{number}", target="certificate-status").get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="certificate-status"') and "<html" not in fragment
    assert 'hx-trigger="every 2s"' in fragment and "Verifying" in fragment
    assert f'<a href="/certificates/{number}" hx-boost="false">Check again</a>' in fragment
    run_jobs()
    fragment = user_client.htmx_get(f"/certificates/{number}", target="certificate-status").get_data(as_text=True)
    assert "Verified." in fragment and "hx-trigger" not in fragment and "Check again" not in fragment
    assert f'src="/certificates/{number}/file?inline=1"' in fragment  # a photo is shown


def _masked(page: str) -> str:
    """A page with the parts that differ between any two uploads (ids, times, tokens) blanked out."""
    page = re.sub(r"/certificates?/\d+", "/certificates/N", page)  # its page and its "read it" link
    page = re.sub(r'content="[^"]+"|value="[^"]+"', "", page)
    return re.sub(r"\w{3} \d+, \d{4} \d+:\d+ [AP]M", "TIME", page)


def test_identical_files_share_one_blob_and_nobody_can_tell(user_client, auth, make_client, dbs, store, run_jobs):
    content = samples.pdf("Shared certificate of attendance")
    bob = make_client()
    auth.sign_up(bob, "bob@example.com", "Ann Example")  # same display name: only the data may differ
    first = upload(user_client, content, "mine.pdf")
    pending_pages = []
    fresh = upload(bob, samples.pdf("A file nobody else has"), "mine.pdf")
    pending_pages.append(_masked(bob.get(fresh.headers["Location"]).get_data(as_text=True)))  # its flash too
    again = upload(bob, content, "mine.pdf")
    pending_pages.append(_masked(bob.get(again.headers["Location"]).get_data(as_text=True)))
    assert first.status_code == fresh.status_code == again.status_code == 303
    assert sorted(first.headers.keys()) == sorted(again.headers.keys()) == sorted(fresh.headers.keys())
    assert pending_pages[0] == pending_pages[1] and "Certificate received" in pending_pages[0]
    run_jobs()
    rows = [certificate_row(dbs, certificate_id(r)) for r in (first, fresh, again)]
    assert [r.status for r in rows] == ["verified"] * 3
    assert rows[0].sha256 == rows[2].sha256 == sha(content)
    assert sorted(store.blobs()) == sorted({sha(content), rows[1].sha256})
    verified_pages = [_masked(bob.get(f"/certificates/{r.id}").get_data(as_text=True)) for r in rows[1:]]
    assert verified_pages[0] == verified_pages[1]
    assert bob.get(f"/certificates/{rows[2].id}/file").data == content


def test_running_the_job_again_changes_nothing(app, user_client, dbs, store, run_jobs):
    number = certificate_id(upload(user_client, samples.png(), "scan.png"))
    run_jobs()
    before = certificate_row(dbs, number)
    with app.app_context():
        assert service.store_pending(number) == "verified"
        assert service.store_pending(999999) == "gone"
    after = certificate_row(dbs, number)
    assert (after.status, after.sha256, after.verified_at) == (before.status, before.sha256, before.verified_at)
    assert list(store.blobs()) == [before.sha256]


def _pending_upload(client, dbs, content: bytes) -> Certificate:
    return certificate_row(dbs, certificate_id(upload(client, content)))


def test_job_killed_after_recording_the_hash_finishes_on_the_next_run(app, user_client, dbs, store):
    content = samples.pdf()
    row = _pending_upload(user_client, dbs, content)
    dbs.execute(update(Certificate).where(Certificate.id == row.id).values(sha256=sha(content)))
    dbs.commit()
    assert list(store.blobs()) == []  # the state a kill between the two steps leaves
    with app.app_context():
        assert service.store_pending(row.id) == "verified"
    assert store.path(sha(content)).read_bytes() == content and staged(store) == []


def test_job_killed_after_the_move_finishes_on_the_next_run(app, user_client, dbs, store):
    content = samples.pdf()
    row = _pending_upload(user_client, dbs, content)
    dbs.execute(update(Certificate).where(Certificate.id == row.id).values(sha256=sha(content)))
    dbs.commit()
    store.put(store.pending_path(row.pending_name), sha(content))  # moved, but not yet marked verified
    with app.app_context():
        assert service.store_pending(row.id) == "verified"
    assert certificate_row(dbs, row.id).status == "verified"


def test_lost_upload_is_marked_failed_with_a_message(app, user_client, dbs, store):
    row = _pending_upload(user_client, dbs, samples.pdf())
    store.pending_path(row.pending_name).unlink()
    with app.app_context():
        assert service.store_pending(row.id) == "failed"
    row = certificate_row(dbs, row.id)
    assert row.status == "failed" and row.sha256 is None and "upload the certificate again" in row.error
    assert "certificate_store_failed" in audit_actions(dbs, user_client.user.id)
    page = user_client.get(f"/certificates/{row.id}").get_data(as_text=True)
    assert "Not stored." in page and "every 2s" not in page
    assert user_client.get(f"/certificates/{row.id}/file").status_code == 409


def test_blob_damaged_right_after_the_move_is_not_marked_verified(app, user_client, dbs, store):
    content = samples.pdf()
    row = _pending_upload(user_client, dbs, content)
    dbs.execute(update(Certificate).where(Certificate.id == row.id).values(sha256=sha(content)))
    dbs.commit()
    store.put(store.pending_path(row.pending_name), sha(content))
    store.path(sha(content)).write_bytes(content[:-1] + b"X")
    with app.app_context():
        assert service.store_pending(row.id) == "failed"
    row = certificate_row(dbs, row.id)
    assert row.status == "failed" and row.sha256 is None
    assert list(store.blobs()) == []  # nothing refers to the damaged blob: it went


def test_certificate_deleted_before_its_job_runs(user_client, dbs, store, run_jobs):
    number = certificate_id(upload(user_client, samples.pdf()))
    assert user_client.post_form(f"/certificates/{number}/delete").status_code == 303
    run_jobs()
    assert certificate_row(dbs, number) is None
    assert staged(store) == [] and list(store.blobs()) == []


@contextmanager
def redis_down(app):
    """The app's Redis connection pointed at a port where nothing listens, as when Redis is down."""
    real = app.extensions["redis"]
    app.extensions["redis"] = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=1, socket_timeout=1)
    try:
        yield
    finally:
        app.extensions["redis"] = real


def reconcile_later(app, minutes: int = 10):
    """Runs the scheduled reconciler as it would run `minutes` from now."""
    from app.certificates.sweeps import reconcile_pending
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=minutes)), app.app_context():
        return reconcile_pending()


def test_redis_down_at_upload_keeps_the_file_pending_and_the_reconciler_queues_it(
        app, user_client, dbs, store, run_jobs, caplog):
    content = samples.heic()
    token = user_client.csrf_token()
    with redis_down(app):
        response = user_client.post("/certificates/new", data={"csrf_token": token, "file": (
            io.BytesIO(content), "IMG_1.HEIC")})
        assert response.status_code == 303
        page = user_client.get(response.headers["Location"])
        assert page.status_code == 200 and "Verifying" in page.get_data(as_text=True)
    assert "waits for the reconciler" in caplog.text
    row = certificate_row(dbs, certificate_id(response))
    assert row.status == "pending" and store.pending_path(row.pending_name).read_bytes() == content
    assert app.extensions["redis"].llen("rq:queue:default") == 0
    with app.app_context():
        from app.certificates.sweeps import reconcile_pending
        assert reconcile_pending().enqueued == []  # too young: its upload may still be enqueueing it
    assert reconcile_later(app).enqueued == [row.id]
    assert reconcile_later(app).enqueued == []  # queued now: a second run leaves it alone
    run_jobs()
    assert certificate_row(dbs, row.id).status == "verified"


def test_reconciler_requeues_a_failed_job_and_gives_up_after_five_tries(app, user_client, dbs, store):
    row = _pending_upload(user_client, dbs, samples.pdf())
    connection = app.extensions["redis"]
    for attempt in range(1, 6):
        job = Job.fetch(service.store_job_id(row.id), connection=connection)
        job.set_status(JobStatus.FAILED)
        assert reconcile_later(app).enqueued == [row.id]
        assert Job.fetch(service.store_job_id(row.id), connection=connection).meta["reconciled"] == attempt
    Job.fetch(service.store_job_id(row.id), connection=connection).set_status(JobStatus.FAILED)
    assert reconcile_later(app).failed == [row.id]
    assert certificate_row(dbs, row.id).status == "failed"


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            found.extend(children)
            todo.extend(children)
    return found


def _read_position(pid: int, path: Path) -> int | None:
    """How far process `pid` has read into `path`, from /proc (None when it has not opened it)."""
    for fd in Path(f"/proc/{pid}/fd").glob("*"):
        try:
            if os.readlink(fd) == str(path):
                info = (Path(f"/proc/{pid}/fdinfo") / fd.name).read_text()
                return int(re.search(r"pos:\s+(\d+)", info).group(1))
        except (OSError, AttributeError):
            continue
    return None


def test_worker_killed_mid_hash_leaves_no_half_blob_and_the_job_runs_again(
        app, user_client, dbs, store, database_url, redis_url, run_jobs, tmp_path):
    connection = app.extensions["redis"]
    assert Worker.all(connection=connection) == [], "another worker would take the job"
    size = 1024 ** 3  # sparse: takes no disk, but hashing it takes a while
    with app.app_context():
        pending_name = store.keep_upload(_sparse_file(store.tmp / "upload-big", size))
        (store.tmp / "upload-big").unlink()
    certificate = Certificate(user_id=user_client.user.id, original_name="scan.pdf", media_type="application/pdf",
                              size_bytes=size, status="pending", pending_name=pending_name)
    dbs.add(certificate)
    dbs.commit()
    pending = store.pending_path(pending_name)
    with app.app_context():
        assert service.enqueue_store(certificate.id)
    env = {**os.environ, "APP_ENV": "development", "SECRET_KEY": SECRET, "DATABASE_URL": database_url,
           "REDIS_URL": redis_url, "CERTIFICATE_ROOT": str(store.root), "INSTANCE_DIR": str(tmp_path),
           "MAIL_URL": "console://", "LOG_LEVEL": "WARNING"}
    worker = subprocess.Popen([str(Path(sys.executable).parent / "rq"), "worker", "--url", redis_url,
                               "--path", str(ROOT), "default"], cwd=ROOT, env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        position = _wait_until_mid_hash(worker.pid, pending, size)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
    assert 0 < position < size
    # Nothing at a final path, the upload intact, the row still pending with no hash.
    assert list(store.blobs()) == [] and not any(p.is_file() for p in store.root.glob("??/??/*"))
    assert pending.stat().st_size == size
    row = certificate_row(dbs, certificate.id)
    assert (row.status, row.sha256) == ("pending", None)
    assert Job.fetch(service.store_job_id(row.id), connection=connection).get_status() == JobStatus.STARTED
    reconcile_later(app)  # RQ's clean-up sees the abandoned job (its heartbeat is gone) and retries it
    assert Job.fetch(service.store_job_id(row.id), connection=connection).get_status() == JobStatus.QUEUED
    run_jobs()
    row = certificate_row(dbs, certificate.id)
    assert row.status == "verified" and store.size(row.sha256) == size
    assert not pending.exists() and staged(store) == []


def _sparse_file(path: Path, size: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as stream:
        stream.write(b"%PDF-1.7 a large scan\n")
        stream.truncate(size)
    return path


def _wait_until_mid_hash(worker_pid: int, pending: Path, size: int, timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for pid in _descendants(worker_pid):
            position = _read_position(pid, pending)
            if position and 0 < position < size:
                return position
        time.sleep(0.002)
    pytest.fail("the worker never started hashing")
