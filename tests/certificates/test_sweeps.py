"""The integrity sweep and the clean-up: what they find and remove, throttling, twice and two at once."""
from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.certificates import sweeps
from app.certificates.storage import Throttle
from jobs.schedule import RECURRING
from tests.certificates import samples
from tests.certificates.conftest import audit_actions, certificate_id, certificate_row, staged, upload


def _verified(client, run_jobs, dbs, content: bytes, name: str = "c.pdf"):
    number = certificate_id(upload(client, content, name))
    run_jobs()
    row = certificate_row(dbs, number)
    assert row.status == "verified"
    return row


def _flip_a_byte(store, sha256: str) -> None:
    path = store.path(sha256)
    data = bytearray(path.read_bytes())
    data[100] ^= 0x80
    path.write_bytes(bytes(data))


@pytest.fixture
def three(user_client, run_jobs, dbs, store):
    """Three verified certificates, then one blob with a flipped byte and one blob deleted."""
    good = _verified(user_client, run_jobs, dbs, samples.pdf("good"))
    corrupt = _verified(user_client, run_jobs, dbs, samples.jpeg(seed=2), "p.jpg")
    missing = _verified(user_client, run_jobs, dbs, samples.png(seed=3), "s.png")
    _flip_a_byte(store, corrupt.sha256)
    store.path(missing.sha256).unlink()
    return good, corrupt, missing


def test_integrity_sweep_reports_corrupt_and_missing_blobs(app, user_client, dbs, three, caplog):
    good, corrupt, missing = three
    checked_before = good.checked_at
    with app.app_context(), caplog.at_level(logging.ERROR, logger="app.certificates.sweeps"):
        report = sweeps.integrity_sweep()
    assert (report.checked, report.corrupt, report.missing) == (3, [corrupt.sha256], [missing.sha256])
    assert [certificate_row(dbs, r.id).status for r in three] == ["verified", "corrupt", "missing"]
    assert certificate_row(dbs, good.id).checked_at > checked_before
    assert "no longer matches" in certificate_row(dbs, corrupt.id).error
    assert audit_actions(dbs, user_client.user.id).count("certificate_integrity_failed") == 2
    logged = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any(corrupt.sha256[:12] in m and "corrupt" in m for m in logged)
    assert any(missing.sha256[:12] in m and "missing" in m for m in logged)
    page = user_client.get(f"/certificates/{corrupt.id}").get_data(as_text=True)
    assert "This file failed its integrity check." in page
    assert user_client.get(f"/certificates/{corrupt.id}/file").status_code == 500


def test_integrity_sweep_twice_reports_each_problem_once(app, user_client, dbs, three):
    with app.app_context():
        first, second = sweeps.integrity_sweep(), sweeps.integrity_sweep()
    assert len(first.corrupt) == len(first.missing) == 1
    assert (second.checked, second.corrupt, second.missing) == (1, [], [])  # only the good one is left to check
    assert audit_actions(dbs, user_client.user.id).count("certificate_integrity_failed") == 2


def test_a_blob_shared_by_two_users_marks_both_certificates(app, user_client, auth, make_client, dbs, store, run_jobs):
    content = samples.pdf("shared")
    bob = make_client()
    auth.sign_up(bob, "bob@example.com", "Bob")
    mine, bobs = _verified(user_client, run_jobs, dbs, content), _verified(bob, run_jobs, dbs, content)
    _flip_a_byte(store, mine.sha256)
    with app.app_context():
        assert sweeps.integrity_sweep().corrupt == [mine.sha256]
    assert certificate_row(dbs, mine.id).status == certificate_row(dbs, bobs.id).status == "corrupt"


class _Clock:
    """Stands in for the storage module's `time`: the throttle's sleeps are recorded, not slept."""

    def __init__(self) -> None:
        self.now, self.slept = 0.0, 0.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept += seconds
        self.now += seconds


def test_integrity_sweep_keeps_to_its_bytes_per_second_budget(app, user_client, dbs, run_jobs, monkeypatch):
    rows = [_verified(user_client, run_jobs, dbs, samples.large_pdf(size), f"{size}.pdf")
            for size in (1_500_000, 2_500_000)]
    clock = _Clock()
    monkeypatch.setattr("app.certificates.storage.time", clock)
    with app.app_context():
        report = sweeps.integrity_sweep(bytes_per_second=1_000_000)
    total = sum(r.size_bytes for r in rows)
    assert report.bytes == total and report.checked == 2
    assert clock.slept == pytest.approx(total / 1_000_000, rel=0.01)


def test_throttle_off_never_sleeps(monkeypatch):
    clock = _Clock()
    monkeypatch.setattr("app.certificates.storage.time", clock)
    throttle = Throttle(0)
    throttle.consume(10**9)
    assert clock.slept == 0


def _age(path: Path, hours: float) -> None:
    past = time.time() - hours * 3600
    os.utime(path, (past, past))


def test_cleanup_removes_unreferenced_blobs_and_stale_temporary_files(app, user_client, dbs, store, run_jobs):
    kept = _verified(user_client, run_jobs, dbs, samples.pdf("kept"))
    orphan = store.tmp / "orphan-source"
    orphan.write_bytes(b"%PDF-1.4 nobody refers to this\n%%EOF\n")
    orphan_hash = hashlib.sha256(orphan.read_bytes()).hexdigest()
    store.put(orphan, orphan_hash)
    pending = certificate_row(dbs, certificate_id(upload(user_client, samples.pdf("waiting"))))
    stale, fresh = store.tmp / "upload-abandoned", store.tmp / "upload-in-flight"
    stale.write_bytes(b"half an upload")
    fresh.write_bytes(b"an upload arriving now")
    for path in (stale, store.pending_path(pending.pending_name)):
        _age(path, 7)
    with app.app_context():
        report = sweeps.cleanup()
    assert (report.removed_blobs, report.removed_temporary) == (1, 1)
    assert list(store.blobs()) == [kept.sha256] and not store.exists(orphan_hash)
    assert staged(store) == sorted([pending.pending_name, fresh.name])  # a pending upload's file stays
    with app.app_context():
        again = sweeps.cleanup()
    assert (again.removed_blobs, again.removed_temporary, again.skipped) == (0, 0, False)
    assert user_client.get(f"/certificates/{kept.id}/file").status_code == 200


def _orphans(store, count: int) -> list[str]:
    hashes = []
    for number in range(count):
        source = store.tmp / f"orphan-{number}"
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_bytes(f"orphan {number}".encode())
        digest = hashlib.sha256(source.read_bytes()).hexdigest()
        store.put(source, digest)
        hashes.append(digest)
    return hashes


def _at_once(app, func, count: int = 2) -> list:
    """Runs func in `count` threads released together, each in its own app context."""
    barrier, results, errors = threading.Barrier(count), [None] * count, []

    def run(index: int) -> None:
        try:
            with app.app_context():
                barrier.wait()
                results[index] = func()
        except BaseException as exc:  # noqa: BLE001 (reported by the test)
            errors.append(exc)
    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    return results


def _slow_deletes(monkeypatch):
    """Each blob removal takes 10 ms longer, so that a sweep is surely still at work when another starts."""
    from app.certificates.storage import LocalBlobStore
    real = LocalBlobStore.delete

    def delete(self, sha256):
        time.sleep(0.01)
        return real(self, sha256)
    monkeypatch.setattr(LocalBlobStore, "delete", delete)


def test_two_cleanups_at_once_remove_each_blob_once(app, store, monkeypatch):
    _orphans(store, 20)
    _slow_deletes(monkeypatch)
    reports = _at_once(app, sweeps.cleanup)
    assert sum(r.removed_blobs for r in reports) == 20 and list(store.blobs()) == []
    assert sorted(r.skipped for r in reports) == [False, True]  # the second found the first at work


@contextmanager
def _no_sweep_lock(name, timeout):
    class Lock:
        def reacquire(self):
            pass
    yield Lock()


def test_two_cleanups_without_their_lock_are_still_safe(app, store, user_client, dbs, run_jobs, monkeypatch):
    """Each step stands alone: even if the sweep's lock lapsed, two runs remove each blob once."""
    kept = _verified(user_client, run_jobs, dbs, samples.pdf("kept"))
    hashes = _orphans(store, 30)
    _slow_deletes(monkeypatch)
    monkeypatch.setattr(sweeps, "held", _no_sweep_lock)
    reports = _at_once(app, sweeps.cleanup)
    assert all(not r.skipped for r in reports)
    assert sum(r.removed_blobs for r in reports) == len(hashes)
    assert list(store.blobs()) == [kept.sha256]


def test_two_integrity_sweeps_at_once_report_each_problem_once(app, user_client, dbs, three, monkeypatch):
    total = sum(row.size_bytes for row in three)
    reports = _at_once(app, lambda: sweeps.integrity_sweep(bytes_per_second=total * 2))  # about half a second
    assert sorted(r.skipped for r in reports) == [False, True]
    monkeypatch.setattr(sweeps, "held", _no_sweep_lock)
    _, corrupt, missing = three
    more = _at_once(app, sweeps.integrity_sweep)  # without the lock, a second pair finds nothing new
    assert all(r.corrupt == r.missing == [] for r in more)
    assert audit_actions(dbs, user_client.user.id).count("certificate_integrity_failed") == 2
    assert certificate_row(dbs, corrupt.id).status == "corrupt"


def test_sweep_jobs_run_from_the_queue_and_are_scheduled(app, run_jobs, store, three):
    from app.extensions import queue
    with app.app_context():
        sweep = queue("low").enqueue("jobs.certificates.integrity_sweep")
        clean = queue("low").enqueue("jobs.certificates.cleanup")
    run_jobs()
    assert sweep.return_value()["corrupt"] == [three[1].sha256]
    assert clean.return_value() == {}  # a damaged certificate still refers to its blob: it is kept
    assert store.exists(three[1].sha256)
    scheduled = {item.id: item.func for item in RECURRING}
    assert scheduled["certificates-integrity-sweep"] == "jobs.certificates.integrity_sweep"
    assert scheduled["certificates-cleanup"] == "jobs.certificates.cleanup"
    assert scheduled["certificates-reconcile"] == "jobs.certificates.reconcile"
