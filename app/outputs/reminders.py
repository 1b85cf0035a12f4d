"""Reminder mails before renewal deadlines: 90, 60, 30, 14 and 7 days ahead, while something is missing.

Once a reminder: the daily run first inserts a ReminderSent row (unique per cycle, deadline and
threshold); only the run whose insert succeeds queues the mail, so a run that repeats, or two runs
at once, send nothing twice. The mail job sends a row's mail only while its mailed_at is empty.
A run that was missed is caught up for CATCH_UP_DAYS; older thresholds are skipped, never sent late.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, render_template
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import db, mail, tasks
from app.auth.models import User
from app.db import utcnow
from app.licenses.models import License, LicenseCycle
from app.licenses.progress import Status
from app.licenses.standing import activities_by_license, current_cycle, cycle_progress, rule_set_of
from app.mail import absolute_url
from app.outputs.models import ReminderSent

log = logging.getLogger(__name__)

THRESHOLDS = (90, 60, 30, 14, 7)
CATCH_UP_DAYS = 3


@dataclass
class RunReport:
    queued: list[int]  # ReminderSent ids whose mail was queued by this run
    skipped_complete: int = 0


def threshold_for(days_left: int) -> int | None:
    """The threshold a day falls under: 60 for 60..58 days left (the day itself, or a missed run)."""
    for threshold in sorted(THRESHOLDS):
        if threshold - CATCH_UP_DAYS < days_left <= threshold:
            return threshold
    return None


def _candidates(now: datetime) -> list[tuple[User, License, LicenseCycle]]:
    """Open cycles due within the longest threshold, of live accounts that want reminders."""
    today = now.date()
    rows = db.session.execute(
        select(User, License, LicenseCycle)
        .join(License, License.user_id == User.id)
        .join(LicenseCycle, LicenseCycle.license_id == License.id)
        .where(User.deleted_at.is_(None), User.reminders_enabled.is_(True), LicenseCycle.renewed_on.is_(None),
               LicenseCycle.renewal_deadline >= today - timedelta(days=1),
               LicenseCycle.renewal_deadline <= today + timedelta(days=max(THRESHOLDS) + 1))
        .order_by(User.id, LicenseCycle.id)).all()
    return [(user, license, cycle) for user, license, cycle in rows]


def run(now: datetime | None = None) -> RunReport:
    """The daily job: decides which reminders are due today and queues each one's mail once."""
    now = now or utcnow()
    report = RunReport(queued=[])
    for user, license, cycle in _candidates(now):
        today = now.astimezone(ZoneInfo(user.time_zone or "UTC")).date()
        threshold = threshold_for((cycle.renewal_deadline - today).days)
        if threshold is None or current_cycle(license) is not cycle:
            continue
        try:
            activities = activities_by_license(user.id, [license.id])[license.id]
            progress = cycle_progress(license, cycle, activities, today)
        except ValueError:  # a rule set the app cannot read: log it, remind the others
            log.exception("reminder skipped: license %s has an unreadable rule set", license.id)
            continue
        if progress.status is Status.COMPLETE:
            report.skipped_complete += 1
            continue
        row = ReminderSent(user_id=user.id, cycle_id=cycle.id, deadline=cycle.renewal_deadline,
                           days_before=threshold, days_left=progress.days_left, missing=list(progress.missing_items))
        db.session.add(row)
        try:
            db.session.commit()
        except IntegrityError:  # already decided by an earlier (or a simultaneous) run
            db.session.rollback()
            continue
        _queue(row.id)
        report.queued.append(row.id)
    _queue_unsent(now)
    return report


def _queue(reminder_id: int) -> None:
    tasks.enqueue("jobs.outputs.send_reminder", reminder_id, job_id=f"reminder-{reminder_id}", result_ttl=0,
                  failure_ttl=86400, description="renewal reminder")


def _queue_unsent(now: datetime) -> None:
    """Queues again the mails of recent rows whose job was lost (Redis down, worker killed)."""
    stale = db.session.scalars(select(ReminderSent.id).where(
        ReminderSent.mailed_at.is_(None), ReminderSent.created_at <= now - timedelta(hours=1),
        ReminderSent.created_at >= now - timedelta(days=CATCH_UP_DAYS))).all()
    for reminder_id in stale:
        _queue(reminder_id)


def send(reminder_id: int) -> bool:
    """Mails one reminder unless it went already, or the account was deleted or turned reminders off."""
    row = db.session.get(ReminderSent, reminder_id)
    if row is None or row.mailed_at is not None:
        return False
    user = db.session.get(User, row.user_id)
    cycle = db.session.get(LicenseCycle, row.cycle_id)
    if user is None or user.deleted_at is not None or not user.reminders_enabled or cycle is None:
        return False
    license = db.session.get(License, cycle.license_id)
    subject, text = message(user, license, cycle, row)
    row.mailed_at = utcnow()
    db.session.commit()  # marked first: a crash after this loses one mail rather than sending two
    mail.send(user.email, subject, text)
    return True


def message(user: User, license: License, cycle: LicenseCycle, row: ReminderSent) -> tuple[str, str]:
    try:
        label = f"{rule_set_of(license).state} {license.credential or license.profession}"
    except ValueError:
        label = license.credential or license.profession
    text = render_template("mail/renewal_reminder.txt", user=user, license=license, label=label, cycle=cycle, row=row,
                           transcript_url=absolute_url("outputs.transcript_page", license_id=license.id),
                           settings_url=absolute_url("account.index"), contact=current_app.config["CONTACT_EMAIL"])
    days = row.days_left
    return f"{label} renewal in {days} day{'s' if days != 1 else ''}: CE still missing", text
