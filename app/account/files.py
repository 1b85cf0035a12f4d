"""Files of an account outside the database: certificate blobs, pending uploads and export ZIPs.

Certificate bytes are the certificates package's: read through its storage (hash checked again
on every read) and removed through its service, which deletes a blob only under the blob's lock
and only when no certificate row of anyone refers to it.
"""
from __future__ import annotations

import logging
from pathlib import Path

from flask import current_app

from app.certificates import deletion as certificates
from app.certificates.storage import BlobCorrupt, BlobMissing, current_store, read_verified

log = logging.getLogger(__name__)


def blob_path(sha256: str) -> Path:
    return current_store().path(sha256)


def read_verified_blob(sha256: str) -> bytes | None:
    """The blob's bytes when they still hash to their name; None when missing or damaged."""
    try:
        return read_verified(sha256)
    except (BlobMissing, BlobCorrupt, ValueError) as exc:
        log.warning("certificate blob %s could not be read (%s)", sha256[:12], exc.__class__.__name__)
        return None


def remove_blob_if_unreferenced(sha256: str) -> bool:
    """Removes a blob no certificate row refers to any more; True when it was removed."""
    return certificates.remove_unreferenced_blob(sha256)


def blob_left_behind(sha256: str) -> bool:
    """A blob that should be gone (no row refers to it) but is still there, e.g. its lock was busy."""
    return current_store().exists(sha256) and not certificates.blob_is_referenced(sha256)


def pending_upload_exists(name: str) -> bool:
    try:
        return current_store().pending_path(name).exists()
    except ValueError:
        return False


def remove_pending_upload(name: str) -> None:
    """An upload received but not yet hashed: its staged file goes with the account."""
    try:
        current_store().remove_pending(name)
    except ValueError:
        log.warning("not a pending upload name: %r", name[:80])


def exports_dir() -> Path:
    folder = Path(current_app.config["INSTANCE_DIR"]) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def export_path(export_id: str) -> Path:
    return exports_dir() / f"{export_id}.zip"


def remove_packet_files(user_id: int) -> bool:
    """Every audit packet PDF and ZIP of the account: they hold its certificates."""
    import shutil

    from app.outputs.packet import user_folder
    folder = user_folder(user_id)
    existed = folder.exists()
    shutil.rmtree(folder, ignore_errors=True)
    return existed


def remove_export_file(export_id: str) -> bool:
    path = export_path(export_id)
    existed = path.exists()
    path.unlink(missing_ok=True)
    path.with_suffix(".zip.partial").unlink(missing_ok=True)
    return existed
