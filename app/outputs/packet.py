"""The audit packet of one cycle: a cover sheet, the transcript, then every certificate, in one PDF;
and a ZIP of the same files named by date and title. Built by a job (jobs.outputs.build_packet).

Certificates are read only through app.certificates.storage (their bytes are checked against their
SHA-256 first). A certificate that cannot be read or placed is named on the cover sheet, never left
out silently. Files live under INSTANCE_DIR/packets/<user id>/ for EXPORT_HOURS; the clean-up job
removes expired ones and any file whose packet row is gone (a purged account).
"""
from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app, render_template
from sqlalchemy import select

from app import audit, db, tasks
from app.account.export import safe_name, unique_name
from app.certificates import storage
from app.certificates.checks import KINDS
from app.certificates.models import Certificate
from app.db import utcnow
from app.licenses.models import License, LicenseCycle
from app.outputs import transcript as transcripts
from app.outputs.models import AuditPacket

LETTER_INCHES = (8.5, 11.0)


class PacketGone(Exception):
    """Expired, failed or its file is gone: the download answers 410."""


@dataclass
class Part:
    """One certificate as it goes into the packet."""

    certificate: Certificate
    row: transcripts.TranscriptRow
    content: bytes | None = None  # the original file, checked against its SHA-256
    pages: bytes | None = None  # the same as PDF pages (a photo on a page of its own)
    problem: str | None = None


@dataclass
class Contents:
    transcript: transcripts.Transcript
    parts: list[Part] = field(default_factory=list)

    @property
    def problems(self) -> list[Part]:
        return [p for p in self.parts if p.problem]


def packets_root() -> Path:
    return Path(current_app.config["INSTANCE_DIR"]) / "packets"


def user_folder(user_id: int) -> Path:
    """Where one account's packets are built (the account purge removes it whole)."""
    return packets_root() / str(int(user_id))


def folder(user_id: int) -> Path:
    path = user_folder(user_id)
    path.mkdir(parents=True, exist_ok=True)
    return path


def paths(packet: AuditPacket) -> tuple[Path, Path]:
    base = folder(packet.user_id) / packet.id
    return base.with_suffix(".pdf"), base.with_suffix(".zip")


def start(license: License, cycle: LicenseCycle) -> AuditPacket:
    """Starts a build, or gives back the one already on its way for this cycle (a double click)."""
    waiting = db.session.scalar(select(AuditPacket).where(
        AuditPacket.user_id == license.user_id, AuditPacket.cycle_id == cycle.id, AuditPacket.state == "queued"))
    if waiting is not None:
        return waiting
    packet = AuditPacket(user_id=license.user_id, license_id=license.id, cycle_id=cycle.id)
    db.session.add(packet)
    db.session.flush()
    audit.record(f"user:{license.user_id}", "audit_packet_requested", f"packet:{packet.id}",
                 user_id=license.user_id, cycle_id=cycle.id)
    db.session.commit()
    record = tasks.start(license.user_id, "packet", "jobs.outputs.build_packet", packet.id, result_ttl=0,
                         failure_ttl=86400, description="audit packet", job_timeout=900)
    packet.job_record_id = record.id
    db.session.commit()
    return packet


def build(packet_id: str, progress: Callable[[str], None] = lambda message: None) -> str:
    """Writes the PDF and the ZIP, marks the packet ready; returns the packet page's URL."""
    packet = db.session.get(AuditPacket, packet_id)
    if packet is None:
        raise LookupError(f"no packet {packet_id}")
    pdf_path, zip_path = paths(packet)
    try:
        license = db.session.get(License, packet.license_id)
        cycle = db.session.get(LicenseCycle, packet.cycle_id)
        progress("Reading the certificates")
        contents = collect(license, cycle, progress)
        progress("Writing the cover sheet and the transcript")
        cover, transcript_pdf = cover_pdf(contents), transcripts.pdf(contents.transcript)
        progress("Putting the packet together")
        _write(pdf_path, assemble(cover, transcript_pdf, contents))
        _write(zip_path, zip_bytes(cover, transcript_pdf, contents))
    except BaseException:
        db.session.rollback()
        packet.state, packet.finished_at = "failed", utcnow()
        db.session.commit()
        remove_files(packet)
        raise
    now = utcnow()
    packet.state, packet.finished_at = "ready", now
    packet.expires_at = now + timedelta(hours=current_app.config["EXPORT_HOURS"])
    packet.details = {"certificates": len(contents.parts), "activities": len(contents.transcript.rows),
                      "missing_proof": len(contents.transcript.missing_proof), "unreadable": len(contents.problems)}
    db.session.commit()
    return current_app.url_map.bind("localhost").build("outputs.packet_page", {"license_id": license.id,
                                                                               "cycle": cycle.id})


def collect(license: License, cycle: LicenseCycle, progress: Callable[[str], None]) -> Contents:
    """The transcript and each certificate's checked bytes, in the transcript's date order."""
    contents = Contents(transcripts.build(license, cycle))
    pairs = [(row, c) for row in contents.transcript.rows for c in row.certificates]
    for number, (row, certificate) in enumerate(pairs, start=1):
        progress(f"Certificate {number} of {len(pairs)}")
        part = Part(certificate, row)
        try:
            part.content = storage.read_verified(certificate.sha256)
        except (storage.BlobMissing, storage.BlobCorrupt, ValueError):
            part.problem = "the stored file is missing or damaged"
        else:
            part.pages, part.problem = as_pages(certificate.media_type, part.content)
        contents.parts.append(part)
    return contents


def as_pages(media_type: str, content: bytes) -> tuple[bytes | None, str | None]:
    """The certificate as PDF pages pypdf can append, or why not (the ZIP still holds the file)."""
    from pypdf import PdfReader
    try:
        data = content if media_type == "application/pdf" else image_pdf(content)
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValueError("encrypted")
        if not reader.pages:
            raise ValueError("no pages")
    except Exception:  # a file its own viewer may open but pypdf cannot
        return None, "could not be placed in the PDF; the ZIP holds the original file"
    return data, None


def cover_pdf(contents: Contents) -> bytes:
    from weasyprint import CSS, HTML
    html = render_template("outputs/packet_cover.html", t=contents.transcript, contents=contents,
                           layout="outputs/print_base.html")
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(transcripts.PRINT_CSS))])


def image_pdf(content: bytes) -> bytes:
    """A photo on a page of its own, scaled to fit a letter page."""
    from PIL import Image, ImageOps
    from pillow_heif import register_heif_opener
    register_heif_opener()
    with Image.open(io.BytesIO(content)) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        width, height = image.size
        dpi = max(width / LETTER_INCHES[0], height / LETTER_INCHES[1], 72.0)
        out = io.BytesIO()
        image.save(out, "PDF", resolution=dpi)
    return out.getvalue()


def assemble(cover: bytes, transcript_pdf: bytes, contents: Contents) -> bytes:
    """Cover, transcript, then every certificate's pages (the cover names those left out)."""
    from pypdf import PdfReader, PdfWriter
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(cover)))
    writer.append(PdfReader(io.BytesIO(transcript_pdf)))
    for part in contents.parts:
        if part.pages is not None:
            reader = PdfReader(io.BytesIO(part.pages))
            if reader.is_encrypted:
                reader.decrypt("")
            writer.append(reader)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_bytes(cover: bytes, transcript_pdf: bytes, contents: Contents) -> bytes:
    """00 cover, 01 transcript, then "<date> <title>.<ext>" for each certificate, in date order."""
    out = io.BytesIO()
    taken: set[str] = set()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("00 Cover sheet.pdf", cover)
        archive.writestr("01 Transcript.pdf", transcript_pdf)
        for part in contents.parts:
            if part.content is None:
                continue
            kind = KINDS.get(part.certificate.media_type)
            ext = kind.extension.lstrip(".") if kind else "bin"
            name = unique_name(safe_name(f"{part.row.completed_on} {part.row.title}.{ext}"), taken)
            archive.writestr(name, part.content)
    return out.getvalue()


def _write(path: Path, content: bytes) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(content)
    os.replace(partial, path)


def remove_files(packet: AuditPacket) -> None:
    for path in paths(packet):
        path.unlink(missing_ok=True)
        path.with_name(path.name + ".partial").unlink(missing_ok=True)


def recent(user_id: int, cycle_id: int, limit: int = 5) -> list[AuditPacket]:
    return list(db.session.scalars(select(AuditPacket).where(
        AuditPacket.user_id == user_id, AuditPacket.cycle_id == cycle_id)
        .order_by(AuditPacket.created_at.desc()).limit(limit)))


def owned(user_id: int, packet_id: str) -> AuditPacket | None:
    return db.session.scalar(select(AuditPacket).where(AuditPacket.id == packet_id, AuditPacket.user_id == user_id))


def file_for_download(packet: AuditPacket, kind: str, now: datetime | None = None) -> Path:
    now = now or utcnow()
    if packet.state == "ready" and packet.expires_at is not None and packet.expires_at <= now:
        expire(packet, now)
    path = paths(packet)[0 if kind == "pdf" else 1]
    if packet.state != "ready" or not path.exists():
        raise PacketGone(packet.id)
    return path


def expire(packet: AuditPacket, now: datetime) -> None:
    remove_files(packet)
    packet.state = "expired"
    db.session.commit()


def clean_up(now: datetime | None = None) -> int:
    """Removes expired packets' files, and files of packets that no longer exist (a purged account)."""
    now = now or utcnow()
    due = db.session.scalars(select(AuditPacket).where(AuditPacket.state == "ready",
                                                       AuditPacket.expires_at <= now)).all()
    for packet in due:
        expire(packet, now)
    root = packets_root()
    known = set(db.session.scalars(select(AuditPacket.id).where(AuditPacket.state.in_(("queued", "ready")))))
    removed = 0
    for path in root.glob("*/*") if root.is_dir() else ():
        if path.name.split(".")[0] not in known:
            path.unlink(missing_ok=True)
            removed += 1
    return len(due) + removed
