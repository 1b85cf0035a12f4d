"""Cycle dates: the next cycle after a renewal and the first deadline a rule implies."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.licenses.catalog import load_catalog
from app.licenses.cycles import (
    Cycle,
    UnknownCycleLength,
    add_years,
    next_cycle,
    suggest_deadline,
    whole_months,
)
from app.licenses.progress import ActivityCredit, compute_progress

CATALOG = load_catalog()


@pytest.mark.parametrize(("day", "years", "expected"), [
    (date(2025, 3, 31), 2, date(2027, 3, 31)),
    (date(2023, 2, 28), 1, date(2024, 2, 29)),  # a month's last day stays the last day
    (date(2024, 2, 29), 1, date(2025, 2, 28)),
    (date(2024, 6, 15), 3, date(2027, 6, 15)),
])
def test_add_years(day, years, expected):
    assert add_years(day, years) == expected


def test_whole_months():
    assert whole_months(date(2024, 1, 15), date(2024, 3, 14)) == 1
    assert whole_months(date(2024, 1, 15), date(2024, 3, 15)) == 2


def test_next_cycle_follows_the_old_deadline_and_carries_over():
    tx = CATALOG.get("tx-lcsw")
    cycle = Cycle(date(2023, 3, 1), date(2025, 2, 28), cycle_number=2,
                  last_met_cycle={"human_trafficking_hhsc_approved": 1})
    logged = [ActivityCredit(1, date(2024, 5, 1), Decimal(38), "live",
                             {"ethics": Decimal(6), "cultural_diversity": Decimal(3),
                              "human_trafficking": Decimal(1)})]
    progress = compute_progress(tx, cycle, logged, date(2025, 1, 1))
    following = next_cycle(cycle, tx, progress)
    assert (following.cycle_start, following.renewal_deadline) == \
        (date(2025, 3, 1), date(2027, 2, 28))
    assert following.cycle_number == 3 and not following.is_first_renewal
    assert following.carried_in_hours == Decimal(8)  # 38 - 30, under the 10 h maximum
    assert following.last_met_cycle["ethics"] == 2


def test_next_cycle_needs_a_known_cycle_length():
    cycle = Cycle(date(2023, 1, 1), date(2025, 12, 31))
    with pytest.raises(UnknownCycleLength):
        next_cycle(cycle, CATALOG.get("mi-lpc"))


@pytest.mark.parametrize(("slug", "kwargs", "expected"), [
    ("fl-lcsw", {"on_or_after": date(2025, 4, 1)}, date(2027, 3, 31)),  # March 31, odd years
    ("fl-lcsw", {"on_or_after": date(2025, 3, 31)}, date(2025, 3, 31)),
    ("ga-psychologist", {"on_or_after": date(2025, 1, 5)}, date(2026, 12, 31)),
    ("va-lpc", {"on_or_after": date(2025, 7, 1)}, date(2026, 6, 30)),  # every June 30
    ("nc-lcmhc", {"on_or_after": date(2025, 7, 1)}, None),  # biennial, year parity unknown
    ("oh-lpcc", {"on_or_after": date(2025, 7, 1), "licensed_on": date(2022, 9, 14)},
     date(2026, 9, 14)),
    ("ca-lpcc", {"on_or_after": date(2025, 1, 1), "licensed_on": date(2024, 5, 9)},
     date(2026, 5, 31)),
    ("tx-lpc", {"on_or_after": date(2025, 1, 1), "licensed_on": date(2024, 5, 9)}, None),
    ("mi-lpc", {"on_or_after": date(2025, 1, 1)}, None),
])
def test_suggest_deadline(slug, kwargs, expected):
    assert suggest_deadline(CATALOG.get(slug), **kwargs) == expected


def test_cycle_refuses_impossible_dates():
    with pytest.raises(ValueError, match="before the cycle starts"):
        Cycle(date(2025, 1, 1), date(2024, 1, 1))
    with pytest.raises(ValueError, match="negative"):
        Cycle(date(2024, 1, 1), date(2025, 1, 1), carried_in_hours=Decimal(-1))
