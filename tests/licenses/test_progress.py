"""Progress engine: properties that hold for every rule set and log, and the rules it applies."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.licenses.catalog import load_catalog
from app.licenses.progress import (
    ActivityCredit,
    Cycle,
    Status,
    compute_progress,
)
from app.licenses.rules import (
    CycleRule,
    DeadlineKind,
    FormatCap,
    LiveMinimum,
    ProviderMinimum,
    RuleSet,
    TopicRequirement,
)
from app.licenses.topics import FORMATS

CATALOG = load_catalog()
START, DEADLINE = date(2025, 1, 1), date(2026, 12, 31)
D = Decimal

# A rule set that exercises everything at once: nested caps, a daily limit, live and
# provider minimums, and a requirement restricted to live formats.
BUSY = RuleSet(
    slug="busy", state="ZZ", profession="counselor", license_type="T", title="Test",
    cycle=CycleRule(2, DeadlineKind.UNKNOWN), total_hours=D(30),
    topics=(TopicRequirement("ethics_live", "Ethics", ("ethics", "law"), D(4),
                             formats=("live", "live_online")),
            TopicRequirement("bias", "Implicit bias", ("implicit_bias",), D(2))),
    format_caps=(FormatCap("Online", ("live_online", "self_study"), D(15)),
                 FormatCap("Self-study", ("self_study",), D(6))),
    live_minimum=LiveMinimum("Live", D(10)),
    provider_minimum=ProviderMinimum("From APA", None, D("0.5"), ("APA",), True),
    max_hours_per_day=D(8))

quarter_hours = st.integers(0, 40).map(lambda n: D(n) / 4)


@st.composite
def activities(draw):
    hours = draw(quarter_hours)
    topics = draw(st.dictionaries(st.sampled_from(["ethics", "law", "implicit_bias",
                                                   "human_trafficking", "boundaries",
                                                   "cultural_diversity", "suicide_prevention"]),
                                  st.integers(0, 40).map(lambda n: D(n) / 4), max_size=3))
    return ActivityCredit(
        activity_id=draw(st.integers(0, 10**6)),
        completed_on=START + timedelta(days=draw(st.integers(-60, 790))),
        hours=hours, format=draw(st.sampled_from(sorted(FORMATS))),
        topic_hours={t: min(h, hours) for t, h in topics.items()},
        approval_body=draw(st.sampled_from([None, "APA", "apa ", "NBCC", "state board"])))


rule_sets = st.sampled_from([BUSY, *CATALOG.all()])
cycles = st.builds(
    Cycle, cycle_start=st.just(START), renewal_deadline=st.just(DEADLINE),
    cycle_number=st.integers(1, 6), is_first_renewal=st.booleans(),
    carried_in_hours=st.integers(0, 10).map(D),
    licensed_on=st.sampled_from([None, date(2024, 12, 1), date(2026, 3, 1)]))
todays = st.dates(date(2024, 12, 1), date(2027, 3, 1))


@settings(max_examples=300, deadline=None)
@given(rule_sets, cycles, st.lists(activities(), max_size=12), todays)
def test_counted_never_exceeds_logged_plus_carried_in_and_remaining_never_negative(
        rule_set, cycle, logged, today):
    progress = compute_progress(rule_set, cycle, logged, today)
    assert progress.counted_hours <= progress.logged_hours + cycle.carried_in_hours
    assert progress.remaining_hours >= 0
    assert progress.remaining_hours == max(D(0), progress.required_total - progress.counted_hours)
    assert 0 <= progress.carry_over_hours <= progress.counted_hours
    for topic in progress.topics:
        assert 0 <= topic.counted <= progress.counted_hours
        assert topic.missing >= 0
    for minimum in (progress.live_minimum, progress.provider_minimum):
        if minimum:
            assert 0 <= minimum.counted <= progress.counted_hours and minimum.missing >= 0
    assert (progress.status is Status.COMPLETE) == (not progress.missing_items)


@settings(max_examples=300, deadline=None)
@given(rule_sets, cycles, st.lists(activities(), max_size=10), activities(), todays)
def test_adding_an_activity_never_lowers_progress(rule_set, cycle, logged, extra, today):
    before = compute_progress(rule_set, cycle, logged, today)
    after = compute_progress(rule_set, cycle, [*logged, extra], today)
    assert after.counted_hours >= before.counted_hours
    assert after.remaining_hours <= before.remaining_hours
    assert after.carry_over_hours >= before.carry_over_hours
    counted_before = {t.key: t.counted for t in before.topics}
    assert counted_before.keys() == {t.key for t in after.topics}
    for topic in after.topics:
        assert topic.counted >= counted_before[topic.key], topic.key
    for name in ("live_minimum", "provider_minimum"):
        if getattr(before, name):
            assert getattr(after, name).counted >= getattr(before, name).counted
    if before.status is Status.COMPLETE:
        assert after.status is Status.COMPLETE


@settings(max_examples=200, deadline=None)
@given(rule_sets, cycles, st.lists(activities(), max_size=10), todays, st.randoms())
def test_order_of_activities_does_not_matter(rule_set, cycle, logged, today, random):
    shuffled = list(logged)
    random.shuffle(shuffled)
    assert compute_progress(rule_set, cycle, logged, today) == \
        compute_progress(rule_set, cycle, shuffled, today)


def _credit(hours, fmt="live", on=date(2025, 6, 1), ident=1, body=None, **topics):
    return ActivityCredit(ident, on, D(hours), fmt, {k: D(v) for k, v in topics.items()}, body)


def test_activities_outside_the_cycle_are_ignored_and_listed():
    cycle = Cycle(START, DEADLINE)
    progress = compute_progress(BUSY, cycle, [
        _credit(3, on=START - timedelta(days=1), ident="before"),
        _credit(2, on=START, ident="first day"),
        _credit(2, on=DEADLINE, ident="last day"),
        _credit(3, on=DEADLINE + timedelta(days=1), ident="after")], today=date(2025, 7, 1))
    assert progress.logged_hours == D(4)
    assert progress.ignored_activity_ids == ("after", "before")


def test_nested_caps_and_daily_limit_cut_counted_hours():
    cycle = Cycle(START, DEADLINE)
    progress = compute_progress(BUSY, cycle, [
        _credit(10, "self_study", on=date(2025, 2, 1), ident=1),  # self-study cap 6
        _credit(12, "live_online", on=date(2025, 3, 1), ident=2),  # 8 a day; online cap 15
        _credit(9, "live", on=date(2025, 4, 1), ident=3)], today=date(2025, 7, 1))
    # self-study 6 + live online 8 = 14 (under the online cap 15) + live 8 (daily limit) = 22
    assert progress.counted_hours == D(22)
    assert [(c.label, c.logged, c.over_by) for c in progress.caps] == [
        ("Online", D(22), D(7)), ("Self-study", D(10), D(4))]


def test_topic_limited_to_live_formats_ignores_self_study():
    progress = compute_progress(BUSY, Cycle(START, DEADLINE), [
        _credit(4, "self_study", ethics=4), _credit(1, "live", ident=2, law=1)],
        today=date(2025, 7, 1))
    ethics = next(t for t in progress.topics if t.key == "ethics_live")
    assert (ethics.counted, ethics.missing, ethics.state) == (D(1), D(3), "missing")


def test_topic_hours_across_accepted_topics_never_exceed_the_activity():
    progress = compute_progress(BUSY, Cycle(START, DEADLINE),
                                [_credit(3, ethics=3, law=3)], today=date(2025, 7, 1))
    assert next(t for t in progress.topics if t.key == "ethics_live").counted == D(3)


@pytest.mark.parametrize(("body", "complete", "state", "blocking"), [
    ("APA", True, "met", False),
    ("NBCC", True, "missing", True),
    ("NBCC", False, "unverified", False),
])
def test_provider_minimum_blocks_only_when_the_list_of_bodies_is_complete(
        body, complete, state, blocking):
    rule = BUSY.provider_minimum.__class__("From APA", None, D("0.5"), ("APA",), complete)
    progress = compute_progress(BUSY.with_changes(provider_minimum=rule), Cycle(START, DEADLINE),
                                [_credit(8, body=body, on=date(2025, 2, d), ident=d)
                                 for d in (1, 2)], today=date(2025, 7, 1))
    assert progress.provider_minimum.required == D(15)  # half of 30
    assert (progress.provider_minimum.state, progress.provider_minimum.blocking) == \
        (state, blocking)


@pytest.mark.parametrize(("today", "counted_hours", "status"), [
    (date(2025, 3, 1), 0, Status.ON_TRACK),  # early in the cycle: pace not judged yet
    (date(2026, 3, 1), 20, Status.ON_TRACK),  # 58% elapsed, 20 >= 30 x 0.58 = 17.5
    (date(2026, 3, 1), 10, Status.AT_RISK),  # behind the straight-line pace
    (date(2026, 10, 2), 29, Status.AT_RISK),  # 90 days left and not complete, though on pace
    (date(2026, 10, 1), 27, Status.ON_TRACK),  # 91 days left, 27 >= 30 x 638/729 = 26.25
    (date(2026, 10, 1), 26, Status.AT_RISK),  # 91 days left, 26 < 26.25: behind pace
    (date(2027, 1, 1), 29, Status.OVERDUE),
    (date(2027, 1, 1), 30, Status.COMPLETE),
])
def test_status_rule(today, counted_hours, status):
    simple = RuleSet(slug="s", state="ZZ", profession="other", license_type="T", title="T",
                     cycle=CycleRule(2, DeadlineKind.UNKNOWN), total_hours=D(30))
    logged = [_credit(5, on=date(2025, 1, 1 + i), ident=i) for i in range(counted_hours // 5)]
    logged += [_credit(counted_hours % 5, on=date(2025, 2, 1), ident="rest")]
    progress = compute_progress(simple, Cycle(START, DEADLINE), logged, today)
    assert progress.counted_hours == counted_hours
    assert progress.status is status


def test_days_left_in_words():
    simple = RuleSet(slug="s", state="ZZ", profession="other", license_type="T", title="T",
                     cycle=CycleRule(2, DeadlineKind.UNKNOWN), total_hours=D(1))
    words = {days: compute_progress(simple, Cycle(START, DEADLINE), [],
                                    DEADLINE - timedelta(days=days)).summary
             for days in (2, 1, 0, -1, -3)}
    assert words == {2: "Still needed: 1 h in total, 2 days left.",
                     1: "Still needed: 1 h in total, 1 day left.",
                     0: "Still needed: 1 h in total, due today.",
                     -1: "Still needed: 1 h in total, 1 day overdue.",
                     -3: "Still needed: 1 h in total, 3 days overdue."}


def test_unknown_formats_and_topics_are_refused():
    with pytest.raises(ValueError, match="format"):
        ActivityCredit(1, START, D(1), "carrier_pigeon")
    with pytest.raises(ValueError, match="topic"):
        ActivityCredit(1, START, D(1), "live", {"astrology": D(1)})
    with pytest.raises(ValueError, match="between 0"):
        ActivityCredit(1, START, D(1), "live", {"ethics": D(2)})
    with pytest.raises(ValueError):
        ActivityCredit(1, START, 1.5, "live")
