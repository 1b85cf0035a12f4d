"""What makes an activity valid, and how typed text becomes dates and hours.

Pure functions (no Flask, no database): the form, the CSV import and the service all apply the
same rules, so an activity saved by any path obeys them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from app.activities.vocabulary import FORMATS, TOPICS

HOURS_PER_CEU = Decimal(10)
MAX_HOURS = Decimal(100)
CENT = Decimal("0.01")
LIMITS = {"title": 300, "provider": 200, "approval_body": 64, "approval_number": 64, "notes": 4000}

_US_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


@dataclass
class ActivityData:
    """An activity as entered, hours already converted from CEUs; license_ids None means "the defaults"."""

    title: str
    completed_on: date
    hours: Decimal
    format: str
    started_on: date | None = None
    provider: str | None = None
    approval_body: str | None = None
    approval_number: str | None = None
    topics: dict[str, Decimal] = field(default_factory=dict)
    notes: str | None = None
    license_ids: list[int] | None = None


def parse_date(text: str | None) -> date | None:
    """ISO (2026-05-01) or US (5/1/2026, 5/1/26); None for blank; ValueError for anything else."""
    if text is None or not str(text).strip():
        return None
    text = str(text)
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = _US_DATE.match(text)
        if not match:
            raise ValueError("Write the date as 2026-05-01 or 5/1/2026.")
        month, day, year = (int(part) for part in match.groups())
        if year < 100:
            year += 2000
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError("That date does not exist.") from None


def parse_amount(text: str | None) -> Decimal | None:
    """A positive-looking number as typed ("1.5", "2,5", " 3 "); None for blank; ValueError otherwise."""
    if text is None or not str(text).strip():
        return None
    cleaned = str(text).strip().replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError("Enter a number, like 1.5.") from None
    if not value.is_finite():
        raise ValueError("Enter a number, like 1.5.")
    return value


def to_hours(amount: Decimal, unit: str) -> Decimal:
    """Hours from an amount in hours or CEUs (1 CEU = 10 hours), exactly, not yet rounded."""
    return amount * HOURS_PER_CEU if unit == "ceus" else amount


def hours_problem(hours: Decimal | None, unit: str = "hours") -> str | None:
    """Why this many hours cannot be an activity's total, in the unit the person typed."""
    if hours is None:
        return "Enter the hours." if unit == "hours" else "Enter the CEUs."
    if hours <= 0 or hours > MAX_HOURS:
        return ("Enter more than 0 and at most 100 hours." if unit == "hours"
                else "Enter more than 0 and at most 10 CEUs.")
    if hours != hours.quantize(CENT):
        return ("Use at most two decimals for hours." if unit == "hours"
                else "Use at most three decimals for CEUs.")
    return None


def problems(data: ActivityData, today: date) -> dict[str, str]:
    """Every rule the activity breaks, by field name; empty when it may be saved."""
    found: dict[str, str] = {}
    if not (data.title or "").strip():
        found["title"] = "Enter the title of the activity."
    for name, limit in LIMITS.items():
        value = getattr(data, name)
        if value and len(value) > limit:
            found.setdefault(name, f"Keep this to {limit} characters or fewer.")
    if data.completed_on is None:
        found["completed_on"] = "Enter the date you completed it."
    elif data.completed_on > today:
        found["completed_on"] = "The completion date cannot be in the future."
    if data.started_on and data.completed_on and data.started_on > data.completed_on:
        found["started_on"] = "The start date cannot be after the completion date."
    problem = hours_problem(data.hours)
    if problem:
        found["hours"] = problem
    if data.format not in FORMATS:
        found["format"] = "Choose how you took it: in person, live online or self-study."
    topic_problem = _topics_problem(data.topics, None if problem else data.hours)
    if topic_problem:
        found["topics"] = topic_problem
    return found


def _topics_problem(topics: dict[str, Decimal], total: Decimal | None) -> str | None:
    for key, hours in topics.items():
        if key not in TOPICS:
            return "Choose a topic from the list."
        if hours is None or hours <= 0 or hours != hours.quantize(CENT):
            return "Give each topic more than 0 hours, with at most two decimals."
    if total is not None and topics and sum(topics.values(), Decimal(0)) > total:
        return "The topic hours add up to more than the activity's total."
    return None


def tidy(text: str | None) -> str | None:
    """Trimmed text, or None when nothing is left."""
    text = (text or "").strip()
    return text or None
