"""Versions of the privacy policy and terms, their announcement, and the in-app notice.

The policy promises that a material change is announced by e-mail or in-app notice at least
seven days before it takes effect: publish() refuses a nearer date, mails every active user
through a job (resumable: it remembers the last user id it mailed), and pending_notice() shows
the change in the app to each user until they dismiss it (stored per user on the server).
"""
from __future__ import annotations

from datetime import date, timedelta

from flask import current_app, render_template
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import audit, db, mail, tasks
from app.auth.models import User
from app.db import utcnow
from app.mail import absolute_url
from app.pages.models import KINDS, PolicyNotice, PolicyVersion

TITLES = {"privacy": "privacy policy", "terms": "terms of use"}
PAGES = {"privacy": "pages.privacy", "terms": "pages.terms"}
NOTICE_KEPT_DAYS = 30  # after taking effect, a change not yet dismissed is still shown this long
MAIL_BATCH = 200


class PolicyError(Exception):
    """A publication the rules refuse; the message is for the operator."""


def current(kind: str, today: date | None = None) -> PolicyVersion | None:
    """The version in force today, if one was published through the app."""
    today = today or utcnow().date()
    return db.session.scalar(
        select(PolicyVersion).where(PolicyVersion.kind == kind, PolicyVersion.effective_on <= today)
        .order_by(PolicyVersion.effective_on.desc(), PolicyVersion.id.desc()).limit(1))


def upcoming(kind: str, today: date | None = None) -> PolicyVersion | None:
    today = today or utcnow().date()
    return db.session.scalar(select(PolicyVersion).where(PolicyVersion.kind == kind, PolicyVersion.effective_on > today)
                             .order_by(PolicyVersion.effective_on).limit(1))


def shown_version(kind: str, today: date | None = None) -> dict:
    """What the policy page prints: the version in force and its date, else the configured ones."""
    version = current(kind, today)
    config = current_app.config
    return {"policy_version": version.version if version else config["POLICY_VERSION"],
            "policy_effective": version.effective_on.isoformat() if version else config["POLICY_EFFECTIVE"],
            "policy_upcoming": upcoming(kind, today)}


def publish(kind: str, version: str, effective_on: date, summary: str, *, today: date | None = None) -> PolicyVersion:
    """Records a material change and starts mailing every active user about it."""
    today = today or utcnow().date()
    lead = current_app.config["POLICY_NOTICE_DAYS"]
    if kind not in KINDS:
        raise PolicyError(f"kind must be one of {', '.join(KINDS)}")
    if not version.strip() or not summary.strip():
        raise PolicyError("a version and a summary of what changes are required")
    if effective_on < today + timedelta(days=lead):
        raise PolicyError(f"a material change must be announced at least {lead} days ahead: "
                          f"the earliest effective date today is {today + timedelta(days=lead):%Y-%m-%d}")
    item = PolicyVersion(kind=kind, version=version.strip(), effective_on=effective_on, summary=summary.strip())
    db.session.add(item)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise PolicyError(f"{kind} version {version} is already published") from None
    audit.record("support", "policy_published", f"policy:{kind}:{item.version}",
                 effective_on=effective_on.isoformat())
    db.session.commit()
    tasks.enqueue("jobs.account.mail_policy_change", item.id, queue_name="low", job_id=f"policy-mail-{item.id}",
                  result_ttl=86400, failure_ttl=7 * 86400, description="policy change mail")
    return item


def mail_announcement(policy_id: int) -> int:
    """Mails the change to every active user not mailed yet; safe to run again after a failure."""
    item = db.session.get(PolicyVersion, policy_id)
    if item is None:
        return 0
    config = current_app.config
    link = absolute_url(PAGES[item.kind])
    sent = 0
    while True:
        users = db.session.scalars(select(User).where(User.id > item.mailed_through_user_id, User.deleted_at.is_(None))
                                   .order_by(User.id).limit(MAIL_BATCH)).all()
        if not users:
            break
        for user in users:
            text = render_template("mail/policy_change.txt", name=user.name, title=TITLES[item.kind],
                                   version=item.version, effective=f"{item.effective_on:%B %-d, %Y}",
                                   summary=item.summary, link=link, contact=config["CONTACT_EMAIL"])
            mail.send(user.email, f"CE Tracker's {TITLES[item.kind]} changes on {item.effective_on:%B %-d, %Y}", text)
            item.mailed_through_user_id = user.id
            db.session.commit()
            sent += 1
    item.mailed_at = utcnow()
    db.session.commit()
    return sent


def pending_notice(user: User, today: date | None = None) -> PolicyVersion | None:
    """The newest change this user has not dismissed: one taking effect after they signed up,
    shown from publication until NOTICE_KEPT_DAYS after it took effect."""
    today = today or utcnow().date()
    dismissed = select(PolicyNotice.policy_version_id).where(PolicyNotice.user_id == user.id)
    return db.session.scalar(select(PolicyVersion).where(
        PolicyVersion.effective_on > user.created_at.date(),
        PolicyVersion.effective_on >= today - timedelta(days=NOTICE_KEPT_DAYS),
        PolicyVersion.id.not_in(dismissed))
        .order_by(PolicyVersion.effective_on.desc(), PolicyVersion.id.desc()).limit(1))


def dismiss(user: User, policy_id: int) -> bool:
    """Remembers on the server that this user dismissed the notice (twice is the same as once)."""
    if db.session.get(PolicyVersion, policy_id) is None:
        return False
    exists = db.session.scalar(select(PolicyNotice.id).where(
        PolicyNotice.user_id == user.id, PolicyNotice.policy_version_id == policy_id))
    if exists is None:
        db.session.add(PolicyNotice(user_id=user.id, policy_version_id=policy_id))
        audit.record(f"user:{user.id}", "policy_notice_dismissed", f"policy:{policy_id}", user_id=user.id)
        try:
            db.session.commit()
        except IntegrityError:  # dismissed in another tab at the same moment
            db.session.rollback()
    return True
