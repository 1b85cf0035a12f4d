"""The data export: one ZIP with every record of the user, readable CSVs and the certificate files.

Built by a job (jobs.account.build_export) from the registry in app.account.data, so a table
added later is exported without changes here. The ZIP is written beside its final name and moved
into place, kept for EXPORT_HOURS, downloadable by its owner only, then deleted.
"""
from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path, PurePath

from flask import current_app, render_template
from sqlalchemy import select

from app import audit, db, tasks
from app.account import data, files
from app.account.activity_log import describe_device
from app.account.models import DataExport
from app.auth.models import User
from app.certificates.checks import KINDS
from app.db import utcnow
from app.spreadsheets import neutralise

RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))}


class ExportGone(Exception):
    """The export expired (or its file is gone): the link answers 410."""


def start_export(user: User) -> DataExport:
    """Starts a new export, or gives back the one already on its way (a double click starts one)."""
    waiting = db.session.scalar(select(DataExport).where(
        DataExport.user_id == user.id, DataExport.state == "queued").order_by(DataExport.created_at.desc()))
    if waiting is not None:
        return waiting
    export = DataExport(user_id=user.id)
    db.session.add(export)
    db.session.flush()  # the id is a column default, set at insert: the audit event names it
    audit.record(f"user:{user.id}", "export_requested", f"export:{export.id}", user_id=user.id)
    db.session.commit()
    record = tasks.start(user.id, "export", "jobs.account.build_export", export.id,
                         queue_name="default", result_ttl=0, failure_ttl=86400, description="data export")
    export.job_record_id = record.id
    db.session.commit()
    return export


def download_url(export_id: str) -> str:
    return current_app.url_map.bind("localhost").build("account.export_download", {"export_id": export_id})


def build_export(export_id: str, progress: Callable[[str], None] = lambda message: None) -> str:
    """Writes the ZIP and marks the export ready; returns the download URL for the status page."""
    export = db.session.get(DataExport, export_id)
    if export is None:
        raise LookupError(f"no export {export_id}")
    user = db.session.get(User, export.user_id)
    try:
        path = files.export_path(export.id)
        partial = path.with_suffix(".zip.partial")
        _write_zip(partial, user, progress)
        os.replace(partial, path)
    except BaseException:
        db.session.rollback()
        export.state = "failed"
        export.finished_at = utcnow()
        db.session.commit()
        files.remove_export_file(export_id)
        raise
    now = utcnow()
    export.state, export.finished_at = "ready", now
    export.expires_at = now + timedelta(hours=current_app.config["EXPORT_HOURS"])
    export.size_bytes = path.stat().st_size
    audit.record("system", "export_ready", f"export:{export.id}", user_id=user.id, size_bytes=export.size_bytes)
    db.session.commit()
    return download_url(export.id)


def _write_zip(path: Path, user: User, progress: Callable[[str], None]) -> None:
    progress("Collecting your records")
    records = data.everything_of(db.session, user.id, user.email)
    exported_at = utcnow()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        progress("Writing your certificates")
        names, missing = _write_certificates(archive, records.get("certificates", []), progress)
        document = {"exported_at": exported_at.isoformat(), "account_id": user.id, "email": user.email,
                    "tables": records, "certificate_files": names, "missing_certificate_files": missing}
        archive.writestr("data.json", data.to_json(document))
        progress("Writing the spreadsheets")
        archive.writestr("licenses.csv", licenses_csv(records))
        archive.writestr("activities.csv", activities_csv(records, names))
        archive.writestr("audit_log.csv", audit_csv(records, user.time_zone))
        readme = render_template("account/export_readme.txt", user=user, exported_at=exported_at,
                                 counts={name: len(rows) for name, rows in records.items()},
                                 names=names, missing=missing, hours=current_app.config["EXPORT_HOURS"])
        archive.writestr("README.txt", readme)


def _write_certificates(archive: zipfile.ZipFile, certificates: list[dict], progress) -> tuple[dict, list]:
    """Adds each verified certificate under its own (made safe, made unique) name."""
    names: dict[str, str] = {}
    missing: list[dict] = []
    taken: set[str] = set()
    stored = [c for c in certificates if c.get("sha256")]
    for number, certificate in enumerate(stored, start=1):
        progress(f"Certificate {number} of {len(stored)}")
        content = files.read_verified_blob(certificate["sha256"])
        if content is None:
            missing.append({"id": certificate["id"], "original_name": certificate["original_name"]})
            continue
        name = unique_name(safe_name(certificate["original_name"], certificate.get("media_type")), taken)
        archive.writestr(f"certificates/{name}", content)
        names[str(certificate["id"])] = f"certificates/{name}"
    for certificate in certificates:
        if not certificate.get("sha256"):
            missing.append({"id": certificate["id"], "original_name": certificate["original_name"]})
    return names, missing


def safe_name(original: str | None, media_type: str | None = None) -> str:
    """A file name any system accepts: no folders, no control or reserved characters, not too long."""
    name = PurePath((original or "").replace("\\", "/")).name
    name = unicodedata.normalize("NFKC", name)
    name = re.sub(r"[^\w.()\- ]", "_", name)
    name = re.sub(r"_+", "_", re.sub(r"\s+", " ", name)).strip(" ._")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = stem[:100].strip(" ._") or "certificate"
    if stem.upper() in RESERVED:
        stem += "_"
    ext = ext[:10].lower()
    if not ext:
        kind = KINDS.get(media_type or "")
        ext = kind.extension.lstrip(".") if kind else ""
    return f"{stem}.{ext}" if ext else stem


def unique_name(name: str, taken: set[str]) -> str:
    """name.pdf, then name (2).pdf, name (3).pdf ... compared without regard to case."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    candidate, number = name, 1
    while candidate.lower() in taken:
        number += 1
        candidate = f"{stem} ({number}).{ext}" if ext else f"{stem} ({number})"
    taken.add(candidate.lower())
    return candidate


def _csv(header: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([[neutralise(v) for v in row] for row in rows])
    return buffer.getvalue()


def licenses_csv(records: dict) -> str:
    cycles: dict[int, list[dict]] = {}
    for cycle in records.get("license_cycles", []):
        cycles.setdefault(cycle["license_id"], []).append(cycle)
    rows = []
    for item in records.get("licenses", []):
        own = sorted(cycles.get(item["id"], []), key=lambda c: c["cycle_start"])
        current = next((c for c in own if not c["renewed_on"]), own[-1] if own else None)
        rows.append([item["id"], item["profession"], item["credential"], item["issuing_body"],
                     item["license_number"], item["rule_set_slug"],
                     current["cycle_start"] if current else "", current["renewal_deadline"] if current else "",
                     len(own), item["created_at"]])
    return _csv(["id", "profession", "credential", "issuing_body", "license_number", "rule_set",
                 "cycle_start", "renewal_deadline", "cycles", "created_at"], rows)


def activities_csv(records: dict, certificate_names: dict[str, str]) -> str:
    licenses = {item["id"]: item for item in records.get("licenses", [])}
    topics: dict[int, list[str]] = {}
    for topic in records.get("activity_topics", []):
        topics.setdefault(topic["activity_id"], []).append(f"{topic['topic']}: {topic['hours']}")
    linked: dict[int, list[str]] = {}
    for link in records.get("activity_licenses", []):
        item = licenses.get(link["license_id"])
        if item:
            label = " ".join(filter(None, [item["credential"] or item["profession"], item["license_number"]]))
            linked.setdefault(link["activity_id"], []).append(label)
    attached: dict[int, list[str]] = {}
    for certificate in records.get("certificates", []):
        if certificate["activity_id"] is not None:
            attached.setdefault(certificate["activity_id"], []).append(
                certificate_names.get(str(certificate["id"]), certificate["original_name"]))
    rows = [[a["id"], a["title"], a["provider"], a["approval_body"], a["approval_number"], a["started_on"],
             a["completed_on"], a["hours"], a["format"], "; ".join(topics.get(a["id"], [])),
             "; ".join(linked.get(a["id"], [])), "; ".join(attached.get(a["id"], [])), a["notes"]]
            for a in records.get("activities", [])]
    return _csv(["id", "title", "provider", "approval_body", "approval_number", "started_on", "completed_on",
                 "hours", "format", "topics", "licenses", "certificates", "notes"], rows)


def audit_csv(records: dict, time_zone: str) -> str:
    from zoneinfo import ZoneInfo
    zone = ZoneInfo(time_zone or "UTC")
    rows = []
    for event in records.get("audit_events", []):
        when = datetime.fromisoformat(event["created_at"])
        rows.append([event["created_at"], when.astimezone(zone).strftime("%Y-%m-%d %H:%M"), event["action"],
                     event["actor"], event["subject"], event["ip"], describe_device(event["user_agent"]),
                     event["user_agent"], data.to_json(event["details"]).replace("\n", " ")])
    return _csv(["time_utc", f"time_local ({time_zone})", "action", "actor", "subject", "ip", "device",
                 "user_agent", "details"], rows)


def owned_export(user_id: int, export_id: str) -> DataExport | None:
    return db.session.scalar(select(DataExport).where(DataExport.id == export_id, DataExport.user_id == user_id))


def file_for_download(export: DataExport, now: datetime | None = None) -> Path:
    """The ZIP of a ready export; an expired one is deleted on the spot and answers ExportGone."""
    now = now or utcnow()
    if export.state == "expired" or (export.expires_at is not None and export.expires_at <= now):
        expire(export, now)
        raise ExportGone(export.id)
    path = files.export_path(export.id)
    if export.state != "ready" or not path.exists():
        raise ExportGone(export.id)
    return path


def expire(export: DataExport, now: datetime) -> None:
    files.remove_export_file(export.id)
    if export.state != "expired":
        export.state, export.file_deleted_at = "expired", now
        db.session.commit()


def clean_up_expired(now: datetime | None = None) -> int:
    """The scheduled clean-up: deletes every export file past its time; returns how many."""
    now = now or utcnow()
    due = db.session.scalars(select(DataExport).where(
        DataExport.state == "ready", DataExport.expires_at <= now)).all()
    for export in due:
        expire(export, now)
    stale = now - timedelta(days=1)  # a partial file of a build that died long ago
    for partial in files.exports_dir().glob("*.zip.partial"):
        if datetime.fromtimestamp(partial.stat().st_mtime, now.tzinfo) < stale:
            partial.unlink(missing_ok=True)
    return len(due)
