"""Renewal deadlines as a calendar: a private subscription feed per user, and a one-time .ics file.

The feed URL holds a random token (only its SHA-256 is stored); regenerating revokes the old URL.
The events say which license is due and nothing about progress: a calendar service reads them.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Alarm, Calendar, Event
from sqlalchemy import select, update

from app import audit, db
from app.auth.models import User
from app.db import utcnow
from app.licenses.standing import rule_set_of
from app.outputs.access import licenses_with_cycles, new_token, token_hash
from app.outputs.models import CalendarFeed

ALARM_DAYS = (30, 7)


def active_feed(user_id: int) -> CalendarFeed | None:
    return db.session.scalar(select(CalendarFeed).where(
        CalendarFeed.user_id == user_id, CalendarFeed.revoked_at.is_(None)).order_by(CalendarFeed.id.desc()))


def _revoke_all(user_id: int, now: datetime) -> int:
    result = db.session.execute(update(CalendarFeed).where(
        CalendarFeed.user_id == user_id, CalendarFeed.revoked_at.is_(None)).values(revoked_at=now))
    return result.rowcount or 0


def new_feed(user: User, now: datetime | None = None) -> str:
    """Makes a feed URL token (revoking any earlier one); returns the raw token, shown once."""
    now = now or utcnow()
    replaced = _revoke_all(user.id, now)
    token, digest = new_token()
    db.session.add(CalendarFeed(user_id=user.id, token_hash=digest, created_at=now))
    audit.record(f"user:{user.id}", "calendar_feed_created", f"user:{user.id}", user_id=user.id,
                 replaced=replaced)
    db.session.commit()
    return token


def revoke(user: User, now: datetime | None = None) -> bool:
    revoked = _revoke_all(user.id, now or utcnow())
    if revoked:
        audit.record(f"user:{user.id}", "calendar_feed_revoked", f"user:{user.id}", user_id=user.id)
    db.session.commit()
    return bool(revoked)


def user_for_token(token: str, now: datetime | None = None) -> User | None:
    """The owner of a live feed token; None for an unknown, revoked or deleted one."""
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == token_hash(token),
                                                       CalendarFeed.revoked_at.is_(None)))
    if feed is None:
        return None
    user = db.session.get(User, feed.user_id)
    if user is None or user.deleted_at is not None:
        return None
    feed.last_fetched_at = now or utcnow()
    db.session.commit()
    return user


def ics(user: User, base_url: str, now: datetime | None = None) -> bytes:
    """Every open renewal deadline of the user as an all-day event with alarms 30 and 7 days ahead."""
    now = now or utcnow()
    calendar = Calendar()
    calendar.add("prodid", "-//CE Tracker//Renewal deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "CE renewal deadlines")
    for license in licenses_with_cycles(user.id):
        try:
            label = f"{rule_set_of(license).state} {license.credential or license.profession}".strip()
        except ValueError:  # a stored rule set the app cannot read any more: still show the deadline
            label = license.credential or license.profession
        for cycle in license.cycles:
            if cycle.renewed_on is not None:
                continue
            event = Event()
            event.add("uid", f"renewal-{cycle.id}@cetracker")
            event.add("dtstamp", now)
            event.add("summary", f"Renewal deadline: {label}")
            event.add("dtstart", cycle.renewal_deadline)
            event.add("dtend", cycle.renewal_deadline + timedelta(days=1))
            event.add("description", f"CE for your {label} license is due. See what is missing: "
                                     f"{base_url}/licenses/{license.id}/transcript")
            event.add("transp", "TRANSPARENT")
            for days in ALARM_DAYS:
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", f"{label} renewal in {days} days")
                alarm.add("trigger", timedelta(days=-days))
                event.add_component(alarm)
            calendar.add_component(event)
    return calendar.to_ical()
