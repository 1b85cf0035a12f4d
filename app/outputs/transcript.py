"""The transcript of one license cycle: what the progress engine counted, and every activity behind it.

One `Transcript` feeds the HTML page, the PDF (the same Jinja template, rendered by WeasyPrint)
and the CSV, so the three never disagree, and its totals are the progress engine's own.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import render_template
from sqlalchemy import select

from app import db
from app.activities.models import Activity
from app.auth.models import User
from app.certificates.models import Certificate
from app.db import utcnow
from app.licenses.models import License, LicenseCycle
from app.licenses.progress import CycleProgress
from app.licenses.rules import RuleSet
from app.licenses.standing import activities_by_license, cycle_progress, rule_set_of
from app.licenses.topics import format_label, topic_label
from app.spreadsheets import neutralise

PRINT_CSS = Path(__file__).resolve().parent.parent / "static" / "css" / "transcript-print.css"


@dataclass(frozen=True)
class TranscriptRow:
    """One activity as a board reads it."""

    activity_id: int
    completed_on: date
    title: str
    provider: str
    approval_body: str
    approval_number: str
    format: str
    hours: Decimal
    topics: tuple[tuple[str, Decimal], ...]  # (label, hours)
    certificates: tuple[Certificate, ...]  # verified ones, with their SHA-256

    @property
    def has_proof(self) -> bool:
        return bool(self.certificates)


@dataclass(frozen=True)
class Transcript:
    user: User
    license: License
    cycle: LicenseCycle
    rule_set: RuleSet
    progress: CycleProgress
    rows: tuple[TranscriptRow, ...]
    generated_at: datetime
    generated_on: date  # in the licensee's time zone

    @property
    def logged_hours(self) -> Decimal:
        return sum((row.hours for row in self.rows), Decimal(0))

    @property
    def missing_proof(self) -> tuple[TranscriptRow, ...]:
        return tuple(row for row in self.rows if not row.has_proof)

    @property
    def license_label(self) -> str:
        parts = [self.license.credential or self.license.profession, self.rule_set.state]
        return " · ".join(p for p in parts if p)


def local_today(user: User, now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(ZoneInfo(user.time_zone or "UTC")).date()


def build(license: License, cycle: LicenseCycle, now: datetime | None = None) -> Transcript:
    """The transcript of one cycle; activities outside the cycle's dates are not part of it."""
    now = now or utcnow()
    user = db.session.get(User, license.user_id)
    today = local_today(user, now)
    activities = activities_by_license(license.user_id, [license.id])[license.id]
    progress = cycle_progress(license, cycle, activities, today)
    inside = sorted((a for a in activities if cycle.cycle_start <= a.completed_on <= cycle.renewal_deadline),
                    key=lambda a: (a.completed_on, a.title.casefold(), a.id))
    certificates = _certificates(license.user_id, [a.id for a in inside])
    rows = tuple(_row(a, certificates.get(a.id, ())) for a in inside)
    return Transcript(user=user, license=license, cycle=cycle, rule_set=rule_set_of(license), progress=progress,
                      rows=rows, generated_at=now, generated_on=today)


def _certificates(user_id: int, activity_ids: list[int]) -> dict[int, tuple[Certificate, ...]]:
    if not activity_ids:
        return {}
    found: dict[int, list[Certificate]] = {}
    for chunk in range(0, len(activity_ids), 500):
        for certificate in db.session.scalars(
                select(Certificate).where(Certificate.user_id == user_id, Certificate.status == "verified",
                                          Certificate.sha256.is_not(None),
                                          Certificate.activity_id.in_(activity_ids[chunk:chunk + 500]))
                .order_by(Certificate.created_at, Certificate.id)):
            found.setdefault(certificate.activity_id, []).append(certificate)
    return {key: tuple(value) for key, value in found.items()}


def _row(activity: Activity, certificates: tuple[Certificate, ...]) -> TranscriptRow:
    return TranscriptRow(
        activity_id=activity.id, completed_on=activity.completed_on, title=activity.title,
        provider=activity.provider or "", approval_body=activity.approval_body or "",
        approval_number=activity.approval_number or "", format=format_label(activity.format),
        hours=activity.hours, topics=tuple((topic_label(t.topic), t.hours) for t in activity.topics),
        certificates=certificates)


# The three renderings ----------------------------------------------------------------------------

def html(transcript: Transcript, *, layout: str = "base.html", **context) -> str:
    return render_template("outputs/transcript.html", t=transcript, layout=layout, **context)


def pdf(transcript: Transcript) -> bytes:
    """The same template as the page, on paper: WeasyPrint with a fixed-layout table (fast at 500 rows)."""
    from weasyprint import CSS, HTML
    document = html(transcript, layout="outputs/print_base.html", for_print=True)
    return HTML(string=document).write_pdf(stylesheets=[CSS(filename=str(PRINT_CSS))])


def csv_text(transcript: Transcript) -> str:
    """One line per activity, then the totals: what a spreadsheet needs to check the sums."""
    t = transcript
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["licensee", "license", "license_number", "cycle_start", "renewal_deadline", "rule_set",
                     "generated_on"])
    writer.writerow([neutralise(v) for v in (t.user.name, t.license_label, t.license.license_number,
                                        t.cycle.cycle_start, t.cycle.renewal_deadline, t.rule_set.title,
                                        t.generated_on)])
    writer.writerow([])
    writer.writerow(["completed_on", "title", "provider", "approval_body", "approval_number", "format", "hours",
                     "topics", "certificate_sha256"])
    for row in t.rows:
        writer.writerow([neutralise(v) for v in (
            row.completed_on, row.title, row.provider, row.approval_body, row.approval_number, row.format,
            row.hours, "; ".join(f"{label}: {hours}" for label, hours in row.topics),
            " ".join(c.sha256 for c in row.certificates) or "missing")])
    writer.writerow([])
    writer.writerow(["requirement", "required_hours", "counted_hours", "state"])
    for topic in t.progress.topics:
        writer.writerow([neutralise(topic.label), topic.required if topic.required is not None else "",
                         topic.counted, topic.state])
    writer.writerow(["Total", t.progress.required_total, t.progress.counted_hours, t.progress.status.value])
    writer.writerow(["Logged in this cycle", "", t.logged_hours, ""])
    return buffer.getvalue()


def file_stem(transcript: Transcript) -> str:
    """transcript-LPC-2025-01-01-to-2027-01-31, safe for any file system."""
    label = "".join(ch for ch in (transcript.license.credential or "license") if ch.isalnum()) or "license"
    return f"transcript-{label}-{transcript.cycle.cycle_start}-to-{transcript.cycle.renewal_deadline}"
