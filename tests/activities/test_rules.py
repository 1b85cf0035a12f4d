"""The pure rules: dates, amounts, CEU conversion and what makes an activity valid."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.activities.rules import ActivityData, parse_amount, parse_date, problems, to_hours

TODAY = date(2026, 5, 20)


@pytest.mark.parametrize("text, expected", [
    ("2026-05-01", date(2026, 5, 1)), ("5/1/2026", date(2026, 5, 1)), ("05/01/2026", date(2026, 5, 1)),
    ("12/31/25", date(2025, 12, 31)), (" 2026-5-1 ", date(2026, 5, 1)), ("", None), (None, None),
])
def test_dates_in_iso_and_us_form(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["1.5.2026", "2026/05/01", "May 1", "2/30/2026", "13/1/2026"])
def test_other_dates_are_refused(text):
    with pytest.raises(ValueError):
        parse_date(text)


@given(st.decimals(min_value=Decimal("0.001"), max_value=Decimal("10"), places=3))
def test_ceus_convert_to_hours_exactly(ceus):
    hours = to_hours(ceus, "ceus")
    assert hours == ceus * 10 and hours == hours.quantize(Decimal("0.01"))


def test_amounts_accept_a_decimal_comma():
    assert parse_amount("2,5") == Decimal("2.5")
    for bad in ("NaN", "Infinity", "two"):
        with pytest.raises(ValueError):
            parse_amount(bad)


def _data(**changes):
    values = {"title": "T", "completed_on": TODAY, "hours": Decimal(3), "format": "live"}
    values.update(changes)
    return ActivityData(**values)


def test_a_valid_activity_has_no_problems():
    assert problems(_data(topics={"ethics": Decimal(2), "general": Decimal(1)}), TODAY) == {}


@pytest.mark.parametrize("changes, field", [
    ({"hours": Decimal("100.01")}, "hours"), ({"hours": Decimal("-1")}, "hours"),
    ({"completed_on": date(2026, 5, 21)}, "completed_on"), ({"started_on": date(2026, 5, 21)}, "started_on"),
    ({"topics": {"ethics": Decimal("3.01")}}, "topics"), ({"topics": {"astrology": Decimal(1)}}, "topics"),
    ({"format": "radio"}, "format"), ({"notes": "n" * 4001}, "notes"),
])
def test_each_rule(changes, field):
    assert field in problems(_data(**changes), TODAY)


def test_exactly_100_hours_and_today_are_allowed():
    assert problems(_data(hours=Decimal(100), completed_on=TODAY, started_on=TODAY), TODAY) == {}
