"""Rule readings behind progress: first renewals, topic frequency, conditions, start dates."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.licenses.catalog import load_catalog
from app.licenses.progress import ActivityCredit, Cycle, compute_progress
from app.licenses.rules import FirstRenewal, FirstRenewalKind

CATALOG = load_catalog()
D = Decimal
TODAY = date(2024, 6, 1)


def _topics(progress) -> dict[str, str]:
    return {t.key: t.state for t in progress.topics}


def _not_due(progress) -> dict[str, str]:
    return {t.key: t.reason for t in progress.topics_not_due}


def test_exempt_first_renewal_requires_nothing_and_is_complete():
    fl = CATALOG.get("fl-lcsw")
    cycle = Cycle(date(2023, 9, 1), date(2025, 3, 31), is_first_renewal=True)
    progress = compute_progress(fl, cycle, [], TODAY)
    assert progress.required_total == 0 and progress.status.value == "complete"
    assert progress.required_total_note == "First renewal: exempt."
    assert not progress.topics and len(progress.topics_not_due) == 4


def test_pa_first_renewal_is_exempt_except_the_act_31_course():
    pa = CATALOG.get("pa-lcsw")
    cycle = Cycle(date(2023, 9, 1), date(2025, 2, 28), is_first_renewal=True)
    progress = compute_progress(pa, cycle, [], TODAY)
    assert progress.required_total == 0
    assert _topics(progress) == {"child_abuse_recognition_reporting_act_31": "missing"}
    assert progress.summary.startswith("Still needed: 2 h of child abuse recognition")


@pytest.mark.parametrize(("licensed_on", "required", "note"), [
    (date(2023, 10, 1), D(0), "First renewal: exempt (licensed late in the cycle)."),
    (date(2023, 9, 30), D(35), "First renewal: not exempt (licensed early in the cycle)."),
    (None, D(35), ("First-renewal exemption depends on your license date: enter it to apply "
                  "the exemption.")),
])
def test_georgia_exempts_only_licensees_of_the_cycles_second_year(licensed_on, required, note):
    # GA: cycle Oct 1 2022 - Sep 30 2024; exempt if licensed on/after Oct 1 2023.
    cycle = Cycle(date(2022, 10, 1), date(2024, 9, 30), is_first_renewal=True,
                  licensed_on=licensed_on)
    progress = compute_progress(CATALOG.get("ga-lpc"), cycle, [], TODAY)
    assert (progress.required_total, progress.required_total_note) == (required, note)


@pytest.mark.parametrize(("start", "required"), [
    (date(2023, 1, 15), D(30)),  # 17 months: shorter than 2 years
    (date(2022, 7, 1), D(40)),  # a full 24 months: the usual 40 h
])
def test_nc_reduces_a_short_first_period_to_30_hours(start, required):
    cycle = Cycle(start, date(2024, 6, 30), is_first_renewal=True, licensed_on=start)
    progress = compute_progress(CATALOG.get("nc-lcmhc"), cycle, [], TODAY)
    assert progress.required_total == required
    assert _topics(progress) == {"ethics": "missing"}  # ethics still due either way


def test_prorated_first_renewal_counts_whole_months():
    rule = FirstRenewal(FirstRenewalKind.PRORATED, hours_per_month=D("1.5"))
    custom = CATALOG.get("ca-psychologist").with_changes(first_renewal=rule)
    cycle = Cycle(date(2023, 3, 10), date(2024, 3, 31), is_first_renewal=True)
    progress = compute_progress(custom, cycle, [], TODAY)
    assert progress.required_total == D("18")  # 12 whole months x 1.5 h
    assert "12 whole months" in progress.required_total_note


def test_unknown_first_renewal_rule_shows_the_full_total_with_a_warning():
    cycle = Cycle(date(2023, 3, 1), date(2025, 2, 28), is_first_renewal=True)
    progress = compute_progress(CATALOG.get("tx-lpc"), cycle, [], TODAY)
    assert progress.required_total == D(24)
    assert "verify with your board" in progress.required_total_note


def test_every_third_cycle_topics_wait_until_their_turn():
    fl = CATALOG.get("fl-lmhc")
    history = {"domestic_violence": 3, "fl_laws_rules": 3}
    later = Cycle(date(2023, 4, 1), date(2025, 3, 31), cycle_number=5, last_met_cycle=history)
    due_again = Cycle(date(2025, 4, 1), date(2027, 3, 31), cycle_number=6, last_met_cycle=history)
    assert _not_due(compute_progress(fl, later, [], TODAY))["domestic_violence"] == \
        "Done in cycle 3; due again in cycle 6."
    assert "domestic_violence" in _topics(compute_progress(fl, due_again, [], TODAY))
    # With no history the app asks for it (it cannot know when it was last done).
    assert "domestic_violence" in _topics(compute_progress(fl, Cycle(
        date(2023, 4, 1), date(2025, 3, 31), cycle_number=5), [], TODAY))


def test_once_in_a_career_topics_are_not_asked_for_again():
    ca = CATALOG.get("ca-lcsw")
    cycle = Cycle(date(2023, 1, 1), date(2024, 12, 31), cycle_number=3,
                  last_met_cycle={"hiv_aids": 1, "suicide_risk_assessment": 3})
    progress = compute_progress(ca, cycle, [], TODAY)
    assert "hiv_aids" in _not_due(progress)
    # A record for this very cycle is not history: the topic is still shown.
    assert "suicide_risk_assessment" in _topics(progress)


def test_conditional_topic_is_if_applicable_until_the_caller_says_it_applies():
    tx = CATALOG.get("tx-lpc")
    cycle = Cycle(date(2023, 3, 1), date(2025, 2, 28), cycle_number=2)
    plain = compute_progress(tx, cycle, [], TODAY)
    supervisor = compute_progress(tx, cycle, [], TODAY, applicable_conditions={"supervision"})
    assert (_topics(plain)["supervision"], _topics(supervisor)["supervision"]) == \
        ("if_applicable", "missing")
    assert "supervision" not in plain.summary and "6 h of supervision" in supervisor.summary


def test_requirement_starts_apply_to_cycles_or_deadlines_after_their_date():
    ny = CATALOG.get("ny-lmhc")
    old = Cycle(date(2022, 1, 1), date(2024, 12, 31), cycle_number=2)
    new = Cycle(date(2025, 1, 1), date(2027, 12, 31), cycle_number=3)
    assert _not_due(compute_progress(ny, old, [], TODAY))["appropriate_professional_boundaries"] \
        == "Required for cycles starting on or after 2023-04-01."
    assert "appropriate_professional_boundaries" in _topics(compute_progress(ny, new, [], TODAY))


def test_per_year_requirement_scales_with_the_cycle():
    mi = CATALOG.get("mi-lpc")  # implicit bias 1 h per year; cycle length not found
    three_years = Cycle(date(2022, 7, 1), date(2025, 6, 30), cycle_number=2)
    bias = next(t for t in compute_progress(mi, three_years, [], TODAY).topics
                if t.key == "implicit_bias")
    assert bias.required == D(3)


def test_not_found_requirement_says_verify_and_never_blocks():
    il = CATALOG.get("il-lmft")
    cycle = Cycle(date(2023, 3, 1), date(2025, 2, 28), cycle_number=2)
    logged = [ActivityCredit(1, date(2024, 1, 1), D(30), "live", {"sexual_harassment": D(1)})]
    progress = compute_progress(il, cycle, logged, TODAY)
    assert _topics(progress)["ethics"] == "verify"
    assert progress.status.value == "complete"


def test_course_without_set_hours_is_met_by_any_hours_on_it():
    tx = CATALOG.get("tx-lcsw")
    cycle = Cycle(date(2023, 3, 1), date(2025, 2, 28), cycle_number=2)
    without = compute_progress(tx, cycle, [], TODAY)
    assert "a human trafficking (HHSC-approved) course" in without.missing_items
    with_course = compute_progress(tx, cycle, [ActivityCredit(
        1, date(2024, 1, 1), D("0.5"), "self_study", {"human_trafficking": D("0.5")})], TODAY)
    assert _topics(with_course)["human_trafficking_hhsc_approved"] == "met"


def test_carried_in_hours_count_toward_the_total_only_and_never_carry_twice():
    tx = CATALOG.get("tx-lcsw")  # carry-over: up to 10 h
    cycle = Cycle(date(2023, 3, 1), date(2025, 2, 28), cycle_number=2,
                  carried_in_hours=D(10))
    logged = [ActivityCredit(1, date(2024, 1, 1), D(25), "live", {"ethics": D(6),
                                                                  "cultural_diversity": D(3),
                                                                  "human_trafficking": D(1)})]
    progress = compute_progress(tx, cycle, logged, TODAY)
    assert progress.counted_hours == D(35)
    assert progress.carry_over_hours == D(5)  # 35 - 30, all from this cycle's own hours
