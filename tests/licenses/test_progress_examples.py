"""Worked examples on real catalog rule sets, each with its hand calculation.

If one fails, redo the arithmetic in its comment before changing the code or the numbers:
the comment is the specification.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from app.licenses.catalog import load_catalog
from app.licenses.progress import ActivityCredit, Cycle, compute_progress
from app.licenses.rules import ProviderMinimum

CATALOG = load_catalog()
D = Decimal


def act(ident: int, on: date, hours: str, fmt: str, body: str | None = None,
        **topics: str) -> ActivityCredit:
    return ActivityCredit(ident, on, D(hours), fmt, {k: D(v) for k, v in topics.items()}, body)


@dataclass
class Example:
    name: str
    slug: str
    cycle: Cycle
    activities: list[ActivityCredit]
    today: date
    required: str
    counted: str
    status: str
    summary: str
    topics: dict[str, str] = field(default_factory=dict)  # key -> state, for those asserted
    carry_over: str = "0"
    provider: str | None = None  # provider minimum state
    conditions: frozenset[str] = frozenset()
    changes: dict[str, Any] = field(default_factory=dict)  # the user's adjustments


TX_CYCLE = Cycle(date(2023, 3, 1), date(2025, 2, 28), cycle_number=2)
FL_CYCLE_4 = Cycle(date(2023, 4, 1), date(2025, 3, 31), cycle_number=4,
                   last_met_cycle={"domestic_violence": 3, "fl_laws_rules": 3})

EXAMPLES = [
    # TX LPC: 24 h total incl. 6 ethics, 3 cultural diversity and a human trafficking course;
    # self-study counts at most 1 h; at least half (12 h) from listed providers.
    # Logged 10 h self-study (3 ethics) + 12 h live (3 ethics, 3 cultural) + 1 h live online
    # (trafficking) = 23 h. Self-study 10 -> 1 (cap): counted 1 + 12 + 1 = 14 h.
    # Ethics: live 3 + self-study min(3, 1) = 4 of 6 -> 2 h missing. Total 24 - 14 = 10 h.
    # 41 days left -> at_risk. Provider list not in the research -> "unverified", not blocking.
    Example("TX LPC self-study cap", "tx-lpc", TX_CYCLE, [
        act(1, date(2024, 2, 1), "10", "self_study", "NBCC", ethics="3"),
        act(2, date(2024, 5, 4), "12", "live", "NBCC", ethics="3", cultural_diversity="3"),
        act(3, date(2024, 9, 9), "1", "live_online", "state board", human_trafficking="1")],
        today=date(2025, 1, 18), required="24", counted="14", status="at_risk",
        summary="Still needed: 2 h of ethics and 10 h in total, 41 days left.",
        topics={"ethics": "missing", "cultural_diversity_competency": "met",
                "human_trafficking_hhsc_approved_course": "met", "supervision": "if_applicable"},
        provider="unverified"),
    # TX LPC adjusted by a user who typed in the 681.140(f) list (here NBCC and ACA, complete).
    # Logged 24 h live: 8 h NBCC (6 ethics, 1 trafficking) + 16 h state board (3 cultural).
    # Counted 24 = required, topics met, but half of 24 = 12 h must be from listed providers:
    # 8 -> 4 h missing, and now it blocks. 272 days left, pace 24 x 458/730 = 15 <= 24: on_track.
    Example("TX LPC provider share, user list", "tx-lpc", TX_CYCLE, [
        act(1, date(2023, 6, 1), "8", "live", "NBCC", ethics="6", human_trafficking="1"),
        act(2, date(2024, 1, 10), "16", "live", "state board", cultural_diversity="3")],
        today=date(2024, 6, 1), required="24", counted="24", status="on_track",
        summary="Still needed: 4 h from listed providers (681.140(f)), 272 days left.",
        provider="missing",
        changes={"provider_minimum": ProviderMinimum(
            "From listed providers (681.140(f))", D(12), D("0.5"), ("NBCC", "ACA"), True)}),
    # TX LCSW: 30 h incl. 6 ethics, 3 cultural, trafficking; up to 10 h carry over.
    # Logged 44 h live with all topics -> counted 44, complete; excess 44 - 30 = 14 -> 10 carried.
    Example("TX LCSW carry-over", "tx-lcsw", TX_CYCLE, [
        act(1, date(2024, 3, 1), "44", "live", "ASWB", ethics="6", cultural_diversity="3",
            human_trafficking="1")],
        today=date(2024, 12, 1), required="30", counted="44", status="complete",
        summary="Complete: 44 h counted of 30 h required.", carry_over="10"),
    # NY LMHC: 36 h per 3-year registration; self-study at most 12 h; 3 h boundaries for periods
    # starting on/after 2023-04-01; child abuse once (done in cycle 1, so not due).
    # Logged 20 h self-study (3 boundaries) + 10 h live = 30 h. Self-study 20 -> 12:
    # counted 12 + 10 = 22; boundaries 3 (within the cap) met. Remaining 36 - 22 = 14.
    # 213 days left but 882/1095 = 80.5% of the cycle gone: pace 29 h > 22 -> at_risk.
    Example("NY LMHC self-study cap", "ny-lmhc",
            Cycle(date(2024, 1, 1), date(2026, 12, 31), cycle_number=2,
                  last_met_cycle={"child_abuse_identification": 1}), [
        act(1, date(2024, 4, 2), "20", "self_study", "NYSED", boundaries="3"),
        act(2, date(2025, 10, 3), "10", "live", "NYSED")],
        today=date(2026, 6, 1), required="36", counted="22", status="at_risk",
        summary="Still needed: 14 h in total, 213 days left.",
        topics={"appropriate_professional_boundaries": "met"}),
    # NY LMHC, first registration period: exempt, so 0 h are due and nothing is missing.
    Example("NY LMHC first period exempt", "ny-lmhc",
            Cycle(date(2024, 5, 1), date(2027, 4, 30), is_first_renewal=True), [],
            today=date(2025, 1, 1), required="0", counted="0", status="complete",
            summary="Complete: 0 h counted of 0 h required."),
    # FL LCSW, cycle 4: 30 h incl. 3 ethics & boundaries and 2 medical errors; domestic
    # violence and laws & rules were met in cycle 3, so they wait until cycle 6.
    # Logged 18 h live (3 ethics, 2 medical errors) + 14 h self-study (no cap in FL) = 32 h
    # counted: complete. FL allows no carry-over -> 0.
    Example("FL LCSW every-third-cycle topics not due", "fl-lcsw", FL_CYCLE_4, [
        act(1, date(2023, 9, 1), "18", "live", "NASW", ethics="3", medical_errors="2"),
        act(2, date(2024, 2, 1), "14", "self_study", "NASW")],
        today=date(2025, 1, 1), required="30", counted="32", status="complete",
        summary="Complete: 32 h counted of 30 h required.",
        topics={"ethics_boundary_issues": "met", "prevention_of_medical_errors": "met"}),
    # FL LCSW, cycle 3 with no record of DV or laws & rules: both are due. Logged 30 h live with
    # 3 ethics, 2 medical errors, 2 DV: total met, laws & rules 0 of 3. 89 days left -> at_risk.
    Example("FL LCSW laws and rules due", "fl-lcsw",
            Cycle(date(2023, 4, 1), date(2025, 3, 31), cycle_number=3), [
        act(1, date(2024, 6, 1), "30", "live", "NASW", ethics="3", medical_errors="2",
            domestic_violence="2")],
        today=date(2025, 1, 1), required="30", counted="30", status="at_risk",
        summary="Still needed: 3 h of FL laws & rules, 89 days left.",
        topics={"domestic_violence": "met", "fl_laws_rules": "missing"}),
    # GA LPC: 35 h; 5 h ethics in live formats only; asynchronous (self-study) at most 10 h;
    # at least 15 core hours from core providers (NBCC, LPCA-GA, GA DBHDD, and others).
    # Logged 12 h self-study NBCC (5 ethics) + 25 h live (10 NBCC): counted 10 + 25 = 35.
    # Ethics: self-study does not count -> 0 of 5. Core: NBCC 10 (capped) + 10 = 20 >= 15.
    # 213 days left, pace 35 x 517/730 = 24.8 <= 35 -> on_track.
    Example("GA LPC synchronous ethics", "ga-lpc",
            Cycle(date(2022, 10, 1), date(2024, 9, 30), cycle_number=2), [
        act(1, date(2023, 1, 5), "12", "self_study", "NBCC", ethics="5"),
        act(2, date(2023, 6, 5), "10", "live", "NBCC"),
        act(3, date(2023, 8, 5), "15", "live", "state board")],
        today=date(2024, 3, 1), required="35", counted="35", status="on_track",
        summary="Still needed: 5 h of ethics, 213 days left.",
        topics={"ethics": "missing", "telemental_health": "if_applicable"}, provider="met"),
    # MI psychologist: 30 h; at most 12 h count in any one day; human trafficking once.
    # A 16 h intensive on one day counts 12; plus 10 h live on other days (3 ethics, 2 pain,
    # 2 implicit bias): counted 22 of 26 logged. Missing: trafficking course, 30 - 22 = 8 h.
    Example("MI psychologist daily limit", "mi-psychologist",
            Cycle(date(2023, 7, 1), date(2025, 6, 30), cycle_number=3), [
        act(1, date(2024, 4, 13), "16", "live", "APA"),
        act(2, date(2024, 5, 1), "5", "live_online", "APA", ethics="3", pain_management="2"),
        act(3, date(2024, 5, 2), "5", "live", "APA", implicit_bias="2")],
        today=date(2024, 12, 1), required="30", counted="22", status="on_track",
        summary="Still needed: a human trafficking course and 8 h in total, 211 days left.",
        topics={"ethics": "met", "pain_symptom_management": "met", "implicit_bias": "met",
                "human_trafficking": "missing"}),
    # CA LPCC, cycle 3, a supervisor: 36 h incl. 6 law & ethics; HIV, suicide and telehealth
    # were done in earlier cycles; supervision 6 h applies because the caller says so.
    # Logged 36 h live: 4 ethics + 2 law, 4 supervision -> counted 36; law & ethics 6 met;
    # supervision 4 of 6 -> 2 h missing. CA allows no carry-over.
    Example("CA LPCC supervisor", "ca-lpcc",
            Cycle(date(2023, 6, 1), date(2025, 5, 31), cycle_number=3,
                  last_met_cycle={"hiv_aids": 1, "suicide_risk_assessment": 1,
                                  "telehealth_incl_law_ethics": 2}), [
        act(1, date(2024, 1, 1), "20", "live", "CAMFT", ethics="4", law="2"),
        act(2, date(2024, 9, 1), "16", "live_online", "NBCC", supervision="4")],
        today=date(2025, 1, 1), required="36", counted="36", status="on_track",
        summary="Still needed: 2 h of supervision, 150 days left.",
        topics={"law_ethics": "met", "supervision": "missing"},
        conditions=frozenset({"supervision"})),
]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_worked_example(example: Example):
    rule_set = CATALOG.get(example.slug)
    if example.changes:
        rule_set = rule_set.with_changes(**example.changes)
    progress = compute_progress(rule_set, example.cycle, example.activities, example.today,
                                applicable_conditions=example.conditions)
    assert progress.required_total == D(example.required)
    assert progress.counted_hours == D(example.counted)
    assert progress.summary == example.summary
    assert progress.status.value == example.status
    assert progress.carry_over_hours == D(example.carry_over)
    states = {topic.key: topic.state for topic in progress.topics}
    for key, state in example.topics.items():
        assert states.get(key) == state, key
    if example.provider:
        assert progress.provider_minimum.state == example.provider
