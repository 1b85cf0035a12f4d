"""Puts a row in every table of user data for one account, straight through the database.

SEEDED lists the tables filled here; tests/account/test_data_registry.py fails when the registry
finds a table of user data that is not in it, so a new table is seeded (and so checked for export
and purge) before it can land.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, select

from app.account.models import DataExport, EmailChange
from app.activities.models import Activity, ActivityTopic, activity_licenses
from app.audit import AuditEvent
from app.auth.models import SignInToken, User
from app.certificates.models import Certificate
from app.db import utcnow
from app.feedback.models import Feedback
from app.licenses.catalog import load_catalog
from app.licenses.models import License, LicenseCycle
from app.outputs.models import AuditPacket, CalendarFeed, ReminderSent, ShareLink
from app.pages.models import PolicyNotice, PolicyVersion
from app.tasks import JobRecord

SEEDED = {"users", "sign_in_tokens", "audit_events", "job_records", "licenses", "license_cycles", "activities",
          "activity_topics", "activity_licenses", "certificates", "email_changes", "data_exports", "feedback",
          "policy_notices", "share_links", "calendar_feeds", "reminders_sent", "audit_packets"}

PDF = b"%PDF-1.4\n% a tiny certificate\n%%EOF\n"


def make_user(dbs, email: str, name: str = "Someone", **values) -> User:
    now = utcnow()
    user = User(email=email, name=name, time_zone="America/Chicago", age_confirmed_at=now, terms_accepted_at=now,
                terms_version="1.0", **values)
    dbs.add(user)
    dbs.commit()
    return user


def store_blob(root: Path, content: bytes) -> str:
    sha = hashlib.sha256(content).hexdigest()
    path = Path(root) / sha[:2] / sha[2:4] / sha
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return sha


def blob_file(root: Path, sha: str) -> Path:
    return Path(root) / sha[:2] / sha[2:4] / sha


@dataclass
class Seeded:
    user_id: int
    marker: str
    blobs: list[str] = field(default_factory=list)
    export_ids: list[str] = field(default_factory=list)
    pending_uploads: list[Path] = field(default_factory=list)
    redis_keys: list[str] = field(default_factory=list)


def _policy_version(dbs) -> PolicyVersion:
    item = dbs.scalar(select(PolicyVersion).where(PolicyVersion.version == "seed"))
    if item is None:
        item = PolicyVersion(kind="privacy", version="seed", effective_on=date.today() + timedelta(days=10),
                             summary="A seeded change.")
        dbs.add(item)
        dbs.flush()
    return item


def seed_everything(dbs, app, user: User, marker: str, *, extra_blobs: list[bytes] = (),
                    names: tuple[str, ...] = ("Ethics 2026.pdf", "ethics 2026.PDF", "../../etc/passwd")) -> Seeded:
    """A license with a cycle, an activity with topics, linked to the license, certificates with
    blobs (names chosen to need cleaning and de-duplication), and a row in every other table."""
    root = app.config["CERTIFICATE_ROOT"]
    seeded = Seeded(user.id, marker)
    license_ = License(user_id=user.id, profession=f"Counselor {marker}", credential="LPC", issuing_body="Texas BHEC",
                       license_number=f"N-{marker}", rule_set_slug="tx-lpc",
                       rules=load_catalog().get("tx-lpc").to_dict())
    dbs.add(license_)
    dbs.flush()
    cycle = LicenseCycle(license_id=license_.id, user_id=user.id, cycle_start=date(2025, 1, 1),
                         renewal_deadline=date(2027, 1, 1), carried_in_hours=Decimal("1.50"))
    dbs.add(cycle)
    dbs.flush()
    dbs.add_all([
        ShareLink(user_id=user.id, license_id=license_.id, cycle_id=cycle.id, note=f"board of {marker}",
                  token_hash=hashlib.sha256(f"share-{marker}".encode()).hexdigest(),
                  expires_at=utcnow() + timedelta(days=7)),
        CalendarFeed(user_id=user.id, token_hash=hashlib.sha256(f"feed-{marker}".encode()).hexdigest()),
        ReminderSent(user_id=user.id, cycle_id=cycle.id, deadline=cycle.renewal_deadline, days_before=90,
                     days_left=90, missing=["6 h of ethics"]),
        AuditPacket(user_id=user.id, license_id=license_.id, cycle_id=cycle.id, state="ready"),
    ])
    activity = Activity(user_id=user.id, title=f"=Ethics for {marker}", provider="CE Co", approval_body="NBCC",
                        approval_number="123", completed_on=date(2026, 3, 1), hours=Decimal("3.00"),
                        format="live_online", notes=f"notes of {marker}")
    dbs.add(activity)
    dbs.flush()
    dbs.add_all([ActivityTopic(activity_id=activity.id, topic="ethics", hours=Decimal("2.00")),
                 ActivityTopic(activity_id=activity.id, topic="general", hours=Decimal("1.00"))])
    dbs.execute(insert(activity_licenses).values(activity_id=activity.id, license_id=license_.id))
    for number, name in enumerate(names):
        content = PDF + f"{marker} certificate {number}\n".encode()
        sha = store_blob(root, content)
        seeded.blobs.append(sha)
        dbs.add(Certificate(user_id=user.id, activity_id=activity.id, original_name=name,
                            media_type="application/pdf", size_bytes=len(content), status="verified", sha256=sha,
                            verified_at=utcnow()))
    for content in extra_blobs:
        sha = store_blob(root, content)
        seeded.blobs.append(sha)
        dbs.add(Certificate(user_id=user.id, original_name="shared.pdf", media_type="application/pdf",
                            size_bytes=len(content), status="verified", sha256=sha))
    pending_name = "pending-" + hashlib.md5(marker.encode()).hexdigest()  # noqa: S324 (a name, not a secret)
    pending = Path(root) / "tmp" / pending_name
    pending.parent.mkdir(parents=True, exist_ok=True)
    pending.write_bytes(PDF + f"{marker} upload not yet hashed\n".encode())
    seeded.pending_uploads.append(pending)
    pending_row = Certificate(user_id=user.id, original_name="still uploading.pdf", media_type="application/pdf",
                              size_bytes=10, status="pending", pending_name=pending_name)
    dbs.add(pending_row)
    dbs.add(AuditEvent(user_id=user.id, actor=f"user:{user.id}", action="sign_in", subject=f"user:{user.id}",
                       details={"method": "code"}, ip="203.0.113.9",
                       user_agent="Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"))
    dbs.add(SignInToken(email=user.email, user_id=user.id, token_hash=hashlib.sha256(marker.encode()).hexdigest(),
                        code_hash="c" * 64, browser_hash="b" * 64, expires_at=utcnow()))
    record = JobRecord(user_id=user.id, kind="export", state="done")
    dbs.add(record)
    dbs.flush()
    export = DataExport(user_id=user.id, job_record_id=record.id, state="ready", finished_at=utcnow(),
                        expires_at=utcnow() + timedelta(hours=24))
    dbs.add(export)
    dbs.add(EmailChange(user_id=user.id, new_email=f"new-{marker}@example.com",
                        token_hash=hashlib.sha256(f"change-{marker}".encode()).hexdigest(), expires_at=utcnow()))
    dbs.add(Feedback(user_id=user.id, message=f"feedback from {marker}", page="/dashboard"))
    dbs.add(PolicyNotice(user_id=user.id, policy_version_id=_policy_version(dbs).id))
    dbs.commit()
    exports = Path(app.config["INSTANCE_DIR"]) / "exports"
    exports.mkdir(parents=True, exist_ok=True)
    (exports / f"{export.id}.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    seeded.export_ids.append(export.id)
    seeded.redis_keys = seed_redis(app, user, job_ids=[f"export-{record.id}", f"certificate-store-{pending_row.id}"])
    return seeded


def seed_redis(app, user: User, job_ids: list[str]) -> list[str]:
    """One key of each kind the app keeps per account, named as the app names them."""
    keys = [f"user:{user.id}:progress_version", f"user:{user.id}:ai-reads:2027-03-01",
            f"activities:import:{user.id}:{'t' * 24}",
            f"LIMITS:limits/address:{user.email}/5/1/hour", f"LIMITS:limits/user:{user.id}:ai/20/1/day"]
    keys += [key for job_id in job_ids for key in (f"rq:job:{job_id}", f"rq:results:{job_id}")]
    connection = app.extensions["redis"]
    for key in keys:
        connection.set(key, f"of {user.email}", ex=3600)
    return keys
