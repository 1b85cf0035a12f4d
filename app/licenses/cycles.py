"""Renewal cycles as dates: the cycle a progress check looks at, and the one after a renewal.

Boards keep their own calendar, so the next cycle follows the old deadline, not the day
the renewal was recorded: renewing early or late does not move the next deadline.
"""
from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from app.licenses.rules import DeadlineKind, RuleSet

if TYPE_CHECKING:
    from app.licenses.progress import CycleProgress


class UnknownCycleLength(ValueError):
    """The rule set does not say how long a cycle is: ask the user for the next deadline."""


@dataclass(frozen=True)
class Cycle:
    """One renewal period of a license, as the progress engine needs it."""

    cycle_start: date
    renewal_deadline: date
    cycle_number: int = 1  # counts renewals under this license; drives "every Nth cycle" topics
    is_first_renewal: bool = False  # set explicitly: a license added mid-career is not a first
    carried_in_hours: Decimal = Decimal(0)
    licensed_on: date | None = None  # needed by some first-renewal exemptions and prorations
    # Requirement key -> the earlier cycle number in which it was last met ("once" and
    # "every Nth cycle" topics are not due again until their time comes).
    last_met_cycle: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.renewal_deadline < self.cycle_start:
            raise ValueError("the renewal deadline is before the cycle starts")
        if self.cycle_number < 1:
            raise ValueError("cycle_number starts at 1")
        carried = self.carried_in_hours
        if isinstance(carried, (int, str)):
            object.__setattr__(self, "carried_in_hours", Decimal(carried))
        elif not isinstance(carried, Decimal):
            raise TypeError("carried_in_hours must be a Decimal")
        if self.carried_in_hours < 0:
            raise ValueError("carried_in_hours cannot be negative")

    @property
    def length_in_years(self) -> int:
        """Whole years the cycle spans, at least 1 (for per-year requirements)."""
        return max(1, round((self.renewal_deadline - self.cycle_start).days / 365.25))


def add_years(day: date, years: int) -> date:
    """Same day `years` later; a month's last day stays its last day (Feb 28 -> Feb 29)."""
    year = day.year + years
    last = calendar.monthrange(year, day.month)[1]
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return date(year, day.month, last)
    return date(year, day.month, min(day.day, last))


def whole_months(start: date, end: date) -> int:
    """Whole months from start up to end (start 2024-01-15, end 2024-03-14 -> 1)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return max(0, months - (1 if end.day < start.day else 0))


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def next_cycle(cycle: Cycle, rule_set: RuleSet, progress: CycleProgress | None = None) -> Cycle:
    """The cycle after a renewal: starts the day after the deadline, one cycle length on.

    With the closing cycle's progress, it carries over the allowed excess hours and
    remembers which requirements were met (so "once" topics are not asked for again).
    """
    years = rule_set.cycle.years
    if years is None:
        raise UnknownCycleLength(f"{rule_set.title}: cycle length not found; ask for the deadline")
    last_met = {key: number for key, number in cycle.last_met_cycle.items()
                if number < cycle.cycle_number}
    carried = Decimal(0)
    if progress is not None:
        carried = progress.carry_over_hours
        last_met.update({key: cycle.cycle_number for key in progress.met_requirement_keys})
    return Cycle(cycle_start=cycle.renewal_deadline + timedelta(days=1),
                 renewal_deadline=add_years(cycle.renewal_deadline, years),
                 cycle_number=cycle.cycle_number + 1, is_first_renewal=False,
                 carried_in_hours=carried, licensed_on=cycle.licensed_on, last_met_cycle=last_met)


def suggest_deadline(rule_set: RuleSet, *, on_or_after: date, licensed_on: date | None = None,
                     birth_month: int | None = None) -> date | None:
    """The first deadline on or after a date when the rule fixes it; None when it cannot tell."""
    rule = rule_set.cycle
    years = rule.years
    if rule.deadline_kind is DeadlineKind.FIXED_DATE:
        if years not in (1, None) and rule.deadline_year_parity is None:
            return None
        if years is None and rule.deadline_year_parity is None:
            return None
        for year in range(on_or_after.year, on_or_after.year + 3):
            if rule.deadline_year_parity and (year % 2 == 0) != (rule.deadline_year_parity == "even"):
                continue
            last = calendar.monthrange(year, rule.deadline_month)[1]
            candidate = date(year, rule.deadline_month, min(rule.deadline_day, last))
            if candidate >= on_or_after:
                return candidate
        return None
    if years is None:
        return None
    if rule.deadline_kind is DeadlineKind.END_OF_BIRTH_MONTH and birth_month and years == 1:
        year = on_or_after.year
        candidate = date(year, birth_month, calendar.monthrange(year, birth_month)[1])
        return candidate if candidate >= on_or_after else add_years(candidate, 1)
    if licensed_on is None:
        return None
    if rule.deadline_kind is DeadlineKind.END_OF_ISSUE_MONTH:
        first = licensed_on.replace(day=calendar.monthrange(licensed_on.year, licensed_on.month)[1])
    elif rule.deadline_kind is DeadlineKind.LICENSE_ANNIVERSARY:
        first = licensed_on
    else:
        return None
    candidate = add_years(first, years)
    while candidate < on_or_after:
        candidate = add_years(candidate, years)
    return candidate
