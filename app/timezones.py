"""A user's time zone and today's date there: deadlines, "in the future" and times are the user's."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "America/New_York"


def user_zone(user) -> ZoneInfo:
    """The user's zone; the default for a visitor or a zone this machine does not know."""
    try:
        return ZoneInfo(getattr(user, "time_zone", None) or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def user_today(user) -> date:
    return datetime.now(user_zone(user)).date()
