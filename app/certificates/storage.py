"""Content-addressed storage of certificate bytes behind a small interface.

A blob is named by the SHA-256 of its bytes and lives at `<root>/ab/cd/<hash>`. It arrives as a
temporary file on the same filesystem (under `<root>/tmp`), is hashed, and is moved into place
with os.replace, so a final path never holds a half-written file. Reading back is always
preceded by hashing again (`verify`). The store knows nothing of the database: which blobs are
still referenced is the service's business.

`LocalBlobStore` is the filesystem implementation; an object-storage one would keep the same
methods (the staging area for uploads stays on local disk either way).
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app

CHUNK_SIZE = 1024 * 1024  # 1 MiB reads keep hashing at sha256sum's speed with flat memory
HEX64 = re.compile(r"^[0-9a-f]{64}$")
PENDING_NAME = re.compile(r"^pending-[0-9a-f]{32}$")


class BlobMissing(Exception):
    """No blob under that hash."""


class BlobCorrupt(Exception):
    """The blob's bytes no longer hash to its name."""

    def __init__(self, expected: str, actual: str) -> None:
        super().__init__(f"blob {expected[:12]}… hashes to {actual[:12]}…")
        self.expected, self.actual = expected, actual


class Throttle:
    """A bytes-per-second budget shared by everything that reads through it (0 or None: no limit)."""

    def __init__(self, bytes_per_second: int | None) -> None:
        self.rate = bytes_per_second or 0
        self.started = time.monotonic()
        self.consumed = 0

    def consume(self, count: int) -> None:
        if self.rate <= 0:
            return
        self.consumed += count
        ahead = self.consumed / self.rate - (time.monotonic() - self.started)
        if ahead > 0:
            time.sleep(ahead)


def is_sha256(value: str | None) -> bool:
    return bool(value) and bool(HEX64.match(value))


def hash_stream(stream: BinaryIO, throttle: Throttle | None = None) -> tuple[str, int]:
    """SHA-256 and length of everything from the stream's position on, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    buffer = bytearray(CHUNK_SIZE)
    view = memoryview(buffer)
    total = 0
    while True:
        count = stream.readinto(buffer)
        if not count:
            break
        digest.update(view[:count])
        total += count
        if throttle is not None:
            throttle.consume(count)
    return digest.hexdigest(), total


def hash_file(path: Path, throttle: Throttle | None = None) -> str:
    with open(path, "rb", buffering=0) as stream:
        return hash_stream(stream, throttle)[0]


class BlobStore(Protocol):
    """What the service needs from a store of blobs named by their SHA-256."""

    def put(self, source: Path, sha256: str) -> None:
        """Moves a local file whose hash was just computed into place under that hash."""

    def exists(self, sha256: str) -> bool: ...

    def size(self, sha256: str) -> int: ...

    def open(self, sha256: str) -> BinaryIO:
        """A readable stream of the blob; raises BlobMissing."""

    def verify(self, sha256: str, throttle: Throttle | None = None) -> None:
        """Hashes the blob again; raises BlobMissing or BlobCorrupt."""

    def delete(self, sha256: str) -> bool: ...

    def blobs(self) -> Iterator[str]:
        """Every hash in the store."""


class LocalBlobStore:
    """Blobs on the local filesystem, with the upload staging area beside them."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.tmp = self.root / "tmp"

    # --- blobs --------------------------------------------------------------------------------

    def path(self, sha256: str) -> Path:
        if not is_sha256(sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, source: Path, sha256: str) -> None:
        """fsyncs the file, renames it into place (atomic on one filesystem), fsyncs the folder."""
        target = self.path(sha256)
        with open(source, "rb") as stream:
            os.fsync(stream.fileno())
        for _attempt in range(3):  # a concurrent clean-up may remove an empty folder in between
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.replace(source, target)
                break
            except FileNotFoundError:
                if not Path(source).exists():
                    raise
        else:
            raise OSError(f"could not move a blob into {target.parent}")
        _fsync_directory(target.parent)

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def size(self, sha256: str) -> int:
        try:
            return self.path(sha256).stat().st_size
        except FileNotFoundError:
            raise BlobMissing(sha256) from None

    def open(self, sha256: str) -> BinaryIO:
        try:
            return open(self.path(sha256), "rb", buffering=0)
        except FileNotFoundError:
            raise BlobMissing(sha256) from None

    def verify(self, sha256: str, throttle: Throttle | None = None) -> None:
        with self.open(sha256) as stream:
            actual, _size = hash_stream(stream, throttle)
        if actual != sha256:
            raise BlobCorrupt(sha256, actual)

    def read_verified(self, sha256: str) -> bytes:
        """The whole blob, for small consumers (export): read once, checked against its name."""
        with self.open(sha256) as stream:
            content = stream.read()
        actual = hashlib.sha256(content).hexdigest()
        if actual != sha256:
            raise BlobCorrupt(sha256, actual)
        return content

    def delete(self, sha256: str) -> bool:
        try:
            self.path(sha256).unlink()
        except FileNotFoundError:
            return False
        return True

    def blobs(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for first in sorted(self.root.iterdir()):
            if len(first.name) != 2 or not first.is_dir():
                continue
            for second in sorted(first.iterdir()):
                if not second.is_dir():
                    continue
                for blob in sorted(second.iterdir()):
                    name = blob.name
                    if is_sha256(name) and name[:2] == first.name and name[2:4] == second.name:
                        yield name

    # --- the staging area for uploads ------------------------------------------------------------

    def upload_file(self):
        """A temporary file for an incoming upload; it vanishes when closed unless kept first."""
        self.tmp.mkdir(parents=True, exist_ok=True)
        return tempfile.NamedTemporaryFile(dir=self.tmp, prefix="upload-", delete=True)

    def keep_upload(self, upload_path: str | Path) -> str:
        """Gives a received upload a second, lasting name in the staging area; returns that name."""
        name = "pending-" + os.urandom(16).hex()
        os.link(upload_path, self.tmp / name)
        return name

    def pending_path(self, name: str) -> Path:
        if not PENDING_NAME.match(name or ""):
            raise ValueError("not a pending upload name")
        return self.tmp / name

    def remove_pending(self, name: str | None) -> None:
        if name:
            self.pending_path(name).unlink(missing_ok=True)

    def staged_files(self) -> Iterator[tuple[Path, float]]:
        """(path, modification time) of every file in the staging area."""
        if not self.tmp.is_dir():
            return
        for entry in os.scandir(self.tmp):
            try:
                if entry.is_file(follow_symlinks=False):
                    yield Path(entry.path), entry.stat(follow_symlinks=False).st_mtime
            except FileNotFoundError:
                continue


def _fsync_directory(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def current_store() -> LocalBlobStore:
    """The store of the current app (one per configured root)."""
    root = Path(current_app.config["CERTIFICATE_ROOT"])
    stores = current_app.extensions.setdefault("certificate_stores", {})
    if root not in stores:
        stores[root] = LocalBlobStore(root)
    return stores[root]


# An entry point for other packages (the account export, the audit packet) that hold only a hash.

def read_verified(sha256: str) -> bytes:
    """The blob's bytes after checking them against their hash; raises BlobMissing or BlobCorrupt."""
    return current_store().read_verified(sha256)
