"""Files of an account outside the database: certificate blobs and export ZIPs.

Certificate bytes live in content-addressed storage, CERTIFICATE_ROOT/ab/cd/<sha256>, owned by
app.certificates. When that package's storage module offers the functions named below, they are
used; otherwise the same layout is read here directly. Either way a blob is read only after its
hash is checked again, and removed only when no certificate row refers to it any more.
"""
from __future__ import annotations

import hashlib
import importlib
import logging
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.certificates.models import Certificate

log = logging.getLogger(__name__)


def _storage_function(*names: str):
    try:
        storage = importlib.import_module("app.certificates.storage")
    except ImportError:
        return None
    for name in names:
        function = getattr(storage, name, None)
        if callable(function):
            return function
    return None


def blob_path(sha256: str) -> Path:
    """Where a blob lives: <root>/ab/cd/<hash> (the certificates package's layout)."""
    if len(sha256) != 64 or any(ch not in "0123456789abcdef" for ch in sha256):
        raise ValueError("not a SHA-256 hex digest")
    root = Path(current_app.config["CERTIFICATE_ROOT"])
    return root / sha256[:2] / sha256[2:4] / sha256


def read_verified_blob(sha256: str) -> bytes | None:
    """The blob's bytes when they still hash to their name; None when missing or damaged."""
    reader = _storage_function("read_verified", "read_blob")
    if reader is not None:
        try:
            return reader(sha256)
        except Exception:  # missing or failing its integrity check: the export says so
            log.warning("certificate blob %s could not be read", sha256[:12])
            return None
    try:
        content = blob_path(sha256).read_bytes()
    except (FileNotFoundError, ValueError):
        return None
    if hashlib.sha256(content).hexdigest() != sha256:
        log.warning("certificate blob %s failed its integrity check", sha256[:12])
        return None
    return content


def blob_is_referenced(session: Session, sha256: str) -> bool:
    return session.scalar(select(Certificate.id).where(Certificate.sha256 == sha256).limit(1)) is not None


def remove_blob_if_unreferenced(session: Session, sha256: str) -> bool:
    """Deletes a blob that no certificate row refers to (a blob shared with anyone stays)."""
    remover = _storage_function("remove_if_unreferenced", "remove_blob_if_unreferenced")
    if remover is not None:
        return bool(remover(sha256))
    if blob_is_referenced(session, sha256):
        return False
    path = blob_path(sha256)
    existed = path.exists()
    path.unlink(missing_ok=True)
    for folder in (path.parent, path.parent.parent):  # tidy empty ab/cd folders, never the root
        try:
            folder.rmdir()
        except OSError:
            break
    return existed


def exports_dir() -> Path:
    folder = Path(current_app.config["INSTANCE_DIR"]) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def export_path(export_id: str) -> Path:
    return exports_dir() / f"{export_id}.zip"


def remove_export_file(export_id: str) -> bool:
    path = export_path(export_id)
    existed = path.exists()
    path.unlink(missing_ok=True)
    path.with_suffix(".zip.partial").unlink(missing_ok=True)
    return existed
