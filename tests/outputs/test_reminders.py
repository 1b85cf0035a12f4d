"""Reminder mails on simulated days: exactly at 90, 60, 30, 14 and 7 days, once each, saying what is missing;
none for a complete cycle, a user who turned them off, or a deleted account."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import time_machine
from sqlalchemy import select

from app.outputs.models import ReminderSent
from jobs.outputs import send_due_reminders
from jobs.schedule import RECURRING
from tests.account.seed import make_user
from tests.mailbox import body
from tests.outputs.seed import add_activity, licensee

DEADLINE = date(2027, 1, 31)


def _simulate(app, run_jobs, mailbox, email: str, days, runs_per_day: int = 2) -> list[tuple[date, str, str]]:
    """Runs the daily job (twice a day: a retry or a second scheduler) on each day; returns the mails."""
    from app.extensions import QUEUE_NAMES, queue
    seen = len(mailbox.to(email))
    mails = []
    for day in days:
        with time_machine.travel(datetime.combine(day, time(14, 5), UTC), tick=False):
            with app.app_context():
                for _ in range(runs_per_day):
                    send_due_reminders()
                waiting = sum(queue(name).count for name in QUEUE_NAMES)
            if waiting:
                run_jobs()  # the burst worker runs every queued job, a job queued twice included
        new = mailbox.to(email)[seen:]
        seen += len(new)
        mails += [(day, m["Subject"], body(m)) for m in new]
    return mails


def _days(first_days_left: int = 100, last_days_left: int = -3):
    return [DEADLINE - timedelta(days=n) for n in range(first_days_left, last_days_left - 1, -1)]


def test_reminders_fire_exactly_at_the_thresholds_and_never_twice(app, dbs, run_jobs, mailbox):
    ann = licensee(dbs, app, "ann@example.com", deadline=DEADLINE)
    mails = _simulate(app, run_jobs, mailbox, ann.email, _days())
    assert [(DEADLINE - day).days for day, _s, _b in mails] == [90, 60, 30, 14, 7]
    day, subject, text = mails[2]
    assert subject == "TX LPC renewal in 30 days: CE still missing"
    assert "- 3 h of ethics" in text and "- 11 h in total" in text
    assert "January 31, 2027" in text and "https://cetracker.test/licenses/" in text
    assert "turn them off" in text
    rows = dbs.scalars(select(ReminderSent).order_by(ReminderSent.days_before)).all()
    assert [r.days_before for r in rows] == [7, 14, 30, 60, 90] and all(r.mailed_at for r in rows)
    # a whole second pass over the same days (a restart replaying the schedule) sends nothing more
    assert _simulate(app, run_jobs, mailbox, ann.email, _days(), runs_per_day=1) == []


def test_a_missed_run_is_caught_up_once_within_three_days(app, dbs, run_jobs, mailbox):
    ann = licensee(dbs, app, "ann@example.com", deadline=DEADLINE)
    days = [d for d in _days(65, 50) if (DEADLINE - d).days not in (60, 59)]  # the job was down two days
    mails = _simulate(app, run_jobs, mailbox, ann.email, days)
    assert [(DEADLINE - day).days for day, _s, _b in mails] == [58]
    assert "in 58 days" in mails[0][1]


def test_no_reminder_for_a_complete_cycle(app, dbs, run_jobs, mailbox):
    ann = licensee(dbs, app, "ann@example.com", deadline=DEADLINE)
    add_activity(dbs, ann.user_id, ann.license_id, "More ethics", date(2026, 3, 1), "3", {"ethics": "3"})
    add_activity(dbs, ann.user_id, ann.license_id, "Group work", date(2026, 4, 1), "8")
    assert _simulate(app, run_jobs, mailbox, ann.email, _days(92, 5)) == []


def test_no_reminder_when_turned_off_or_account_deleted(app, dbs, run_jobs, mailbox):
    from app.db import utcnow
    off = licensee(dbs, app, "off@example.com", deadline=DEADLINE)
    gone = licensee(dbs, app, "gone@example.com", deadline=DEADLINE)
    on = licensee(dbs, app, "on@example.com", deadline=DEADLINE)
    from app.auth.models import User
    dbs.get(User, off.user_id).reminders_enabled = False
    dbs.get(User, gone.user_id).deleted_at = utcnow()
    dbs.commit()
    days = [DEADLINE - timedelta(days=n) for n in (90, 60)]
    assert _simulate(app, run_jobs, mailbox, off.email, days) == []
    assert mailbox.to(gone.email) == []
    assert len(mailbox.to(on.email)) == 2


def test_turning_reminders_off_stops_a_mail_already_queued(app, dbs, run_jobs, mailbox):
    ann = licensee(dbs, app, "ann@example.com", deadline=DEADLINE)
    with time_machine.travel(datetime.combine(DEADLINE - timedelta(days=30), time(14, 5), UTC)):
        with app.app_context():
            send_due_reminders()
        from app.auth.models import User
        dbs.get(User, ann.user_id).reminders_enabled = False
        dbs.commit()
        run_jobs()
    assert mailbox.to(ann.email) == []


def test_a_time_zone_ahead_of_utc_counts_its_own_day(app, dbs, run_jobs, mailbox):
    user = make_user(dbs, "tokyo@example.com", "Kenji", )
    user.time_zone = "Asia/Tokyo"
    dbs.commit()
    ann = licensee(dbs, app, user_id=user.id, email=user.email, deadline=DEADLINE)
    # 20:00 UTC on the 61st day before is already the 60th day before in Tokyo
    with time_machine.travel(datetime.combine(DEADLINE - timedelta(days=61), time(20, 0), UTC)):
        with app.app_context():
            send_due_reminders()
        run_jobs()
    assert re.search(r"in 60 days", mailbox.to(ann.email)[0]["Subject"])


def test_the_daily_job_is_scheduled():
    item = next(r for r in RECURRING if r.id == "renewal-reminders-daily")
    assert item.func == "jobs.outputs.send_due_reminders" and item.cron == "5 14 * * *"
