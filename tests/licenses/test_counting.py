"""Counted hours under caps and a per-day limit: the largest amount that fits all limits."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.licenses.counting import Portion, countable_hours
from app.licenses.rules import Certainty, FormatCap

D = Decimal
DAY1, DAY2 = date(2025, 1, 1), date(2025, 1, 2)
SELF = FormatCap("Self-study", ("self_study",), D(6))
ONLINE = FormatCap("Online", ("live_online", "self_study"), D(10))


def test_no_limits_counts_everything():
    assert countable_hours([Portion(DAY1, "live", D("2.5")), Portion(DAY2, "self_study", D(3))],
                           []) == D("5.5")


def test_nested_caps():
    portions = [Portion(DAY1, "self_study", D(8)), Portion(DAY2, "live_online", D(7)),
                Portion(DAY2, "live", D(4))]
    # self-study 6 (its cap) + live online 7 = 13, cut to the online cap 10; live 4 uncapped
    assert countable_hours(portions, [SELF, ONLINE]) == D(14)
    assert countable_hours(portions, [ONLINE, SELF]) == D(14)


def test_daily_limit_and_cap_together_find_the_best_fit():
    # Day 1: 8 live + 8 self-study, 12 a day. Day 2: 4 self-study. Self-study cap 6.
    portions = [Portion(DAY1, "live", D(8)), Portion(DAY1, "self_study", D(8)),
                Portion(DAY2, "self_study", D(4))]
    # Day 1 holds at most 12: 8 live + up to 4 self-study; the self-study cap allows 6 in all,
    # e.g. 2 on day 1 and 4 on day 2: 8 + 6 = 14.
    assert countable_hours(portions, [SELF], max_per_day=D(12)) == D(14)


def test_caps_that_are_not_enforced_are_ignored():
    unknown = FormatCap("Self-study", ("self_study",), D(1), certainty=Certainty.NOT_FOUND)
    info = FormatCap("Teaching", (), D(1))
    assert countable_hours([Portion(DAY1, "self_study", D(5))], [unknown, info]) == D(5)


# The shortcut used when no daily limit binds must agree with the general maximum flow.
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from app.licenses import counting  # noqa: E402

CAP_SETS = [[], [SELF], [ONLINE], [SELF, ONLINE], [FormatCap("Live", ("live",), D(3)), SELF]]
portion_lists = st.lists(st.builds(
    Portion, day=st.dates(date(2025, 1, 1), date(2025, 1, 20)),
    format=st.sampled_from(["live", "live_online", "self_study"]),
    hours=st.decimals(D(0), D(9), places=2)), max_size=40)


def _flow(portions, caps) -> Decimal:
    original = counting._no_day_over
    counting._no_day_over = lambda *_args: False
    try:
        return countable_hours(portions, caps, max_per_day=D(10_000))
    finally:
        counting._no_day_over = original


@settings(max_examples=200, deadline=None)
@given(portions=portion_lists, caps=st.sampled_from(CAP_SETS))
def test_the_shortcut_counts_what_the_flow_counts(portions, caps):
    assert countable_hours(portions, caps) == _flow(portions, caps)
