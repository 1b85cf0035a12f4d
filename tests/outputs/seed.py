"""A Texas LPC licensee with a cycle, activities and certificates, made straight through the models."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import insert

from app.activities.models import Activity, ActivityTopic, activity_licenses
from app.certificates.models import Certificate
from app.db import utcnow
from app.licenses.catalog import load_catalog
from app.licenses.models import License, LicenseCycle
from tests.account.seed import make_user, store_blob


@dataclass
class Licensee:
    user_id: int
    email: str
    license_id: int
    cycle_id: int
    activity_ids: list[int]
    certificate_shas: dict[int, str]  # activity id -> sha256 of its certificate


def texas_lpc(dbs, user_id: int, *, cycle_start=date(2025, 2, 1), deadline=date(2027, 1, 31),
              number: str = "LPC-12345") -> tuple[License, LicenseCycle]:
    rule_set = load_catalog().get("tx-lpc")
    license_ = License(user_id=user_id, profession="Counselor", credential="LPC", issuing_body="Texas BHEC",
                       license_number=number, rule_set_slug="tx-lpc", rules=rule_set.to_dict())
    dbs.add(license_)
    dbs.flush()
    cycle = LicenseCycle(license_id=license_.id, user_id=user_id, cycle_start=cycle_start,
                         renewal_deadline=deadline, cycle_number=3)
    dbs.add(cycle)
    dbs.commit()
    return license_, cycle


def add_activity(dbs, user_id: int, license_id: int, title: str, on: date, hours: str,
                 topics: dict[str, str] | None = None, *, fmt: str = "live_online", body: str = "NBCC",
                 provider: str = "CE Co") -> Activity:
    activity = Activity(user_id=user_id, title=title, provider=provider, approval_body=body,
                        approval_number="N-77", completed_on=on, hours=Decimal(hours), format=fmt)
    dbs.add(activity)
    dbs.flush()
    for topic, topic_hours in (topics or {"general": hours}).items():
        dbs.add(ActivityTopic(activity_id=activity.id, topic=topic, hours=Decimal(topic_hours)))
    dbs.execute(insert(activity_licenses).values(activity_id=activity.id, license_id=license_id))
    dbs.commit()
    return activity


def attach(dbs, app, user_id: int, activity_id: int, content: bytes, media_type: str = "application/pdf",
           name: str = "certificate.pdf") -> str:
    sha = store_blob(app.config["CERTIFICATE_ROOT"], content)
    dbs.add(Certificate(user_id=user_id, activity_id=activity_id, original_name=name, media_type=media_type,
                        size_bytes=len(content), status="verified", sha256=sha, verified_at=utcnow()))
    dbs.commit()
    return sha


def licensee(dbs, app, email: str = "ann@example.com", *, user_id: int | None = None, certificates: bool = True,
             **cycle) -> Licensee:
    """Four activities in the cycle (the second without a certificate) and one before it."""
    from tests.certificates import samples
    if user_id is None:
        user_id = make_user(dbs, email, "Ann Example").id
    license_, row = texas_lpc(dbs, user_id, **cycle)
    start = row.cycle_start
    plan = [("Ethics in counseling", 30, "3", {"ethics": "3"}, "pdf"),
            ("Cultural humility", 60, "3", {"cultural_diversity": "3"}, None),
            ("Trauma-informed care", 90, "6", {"clinical": "6"}, "jpeg"),
            ("Human trafficking awareness", 120, "1", {"human_trafficking": "1"}, "png")]
    ids, shas = [], {}
    for title, offset, hours, topics, kind in plan:
        activity = add_activity(dbs, user_id, license_.id, title, start + timedelta(days=offset), hours, topics)
        ids.append(activity.id)
        if certificates and kind:
            content = samples.pdf(f"{title} certificate") if kind == "pdf" else getattr(samples, kind)()
            media = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}[kind]
            shas[activity.id] = attach(dbs, app, user_id, activity.id, content, media, f"{title}.{kind}")
    add_activity(dbs, user_id, license_.id, "Before the cycle", start - timedelta(days=10), "2")
    return Licensee(user_id, email, license_.id, row.id, ids, shas)


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
