"""A user's own figures turned into rules: a catalog rule set adjusted, or one written from scratch.

Pure functions over plain values (the form layer parses and checks the input), so each
reading can be tested on its own: a catalog entry is stored unchanged unless a figure really
differs; any figure the user types is theirs ("Set by you."), and the research's words stay
beside it.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from app.licenses.cycles import add_years, suggest_deadline
from app.licenses.rules import (
    CarryOver,
    Certainty,
    FormatCap,
    Frequency,
    LiveMinimum,
    RuleSet,
    TopicRequirement,
    custom_rule_set,
)
from app.licenses.states import STATE_NAMES
from app.licenses.topics import TOPICS

USER_NOTE = "Set by you."
CUSTOM = "custom"


@dataclass(frozen=True)
class TopicInput:
    """One row of the requirements form: a catalog requirement (by key) or a custom topic."""

    key: str = ""  # the requirement key of a catalog row; "" for a custom row
    topic: str = ""  # a TOPICS key (custom rows)
    hours: Decimal | None = None
    applies: bool = False  # "this applies to me", for a conditional requirement
    done_before: bool = False  # "already completed", for a once-in-a-career requirement


@dataclass(frozen=True)
class RuleInput:
    """The figures of the requirements form."""

    total_hours: Decimal
    cycle_years: int | None
    carry_over: Decimal | None
    topics: tuple[TopicInput, ...] = ()
    self_study_cap: Decimal | None = None  # custom rule sets only
    live_minimum: Decimal | None = None  # custom rule sets only


def adjusted_rule_set(base: RuleSet, given: RuleInput) -> RuleSet:
    """`base` with the user's figures; `base` itself when none differs (so it stays a catalog entry)."""
    changes: dict = {}
    if given.total_hours != base.total_hours:
        changes["total_hours"] = given.total_hours
    if given.cycle_years != base.cycle.years:
        changes["cycle"] = dataclasses.replace(base.cycle, years=given.cycle_years,
                                               certainty=Certainty.STATED)
    rows = {row.key: row for row in given.topics if row.key}
    topics, topics_changed = [], False
    for requirement in base.topics:
        row = rows.get(requirement.key)
        if row is None or row.hours == requirement.hours:
            topics.append(requirement)
            continue
        topics_changed = True
        topics.append(dataclasses.replace(
            requirement, hours=row.hours, interpretation=USER_NOTE,
            certainty=Certainty.STATED if row.hours is not None else requirement.certainty))
    if topics_changed:
        changes["topics"] = tuple(topics)
    if given.carry_over != base.carry_over.max_hours:
        changes["carry_over"] = dataclasses.replace(
            base.carry_over, max_hours=given.carry_over, interpretation=USER_NOTE,
            certainty=Certainty.STATED if given.carry_over is not None else Certainty.NOT_FOUND)
    return base.with_changes(**changes) if changes else base


def custom_rules(*, title: str, license_type: str, profession: str, issuing_body: str,
                 given: RuleInput) -> RuleSet:
    """A rule set written by the user for a license the catalog lacks."""
    topics = []
    for row in given.topics:
        if not row.topic:
            continue
        topics.append(TopicRequirement(key=row.topic, label=TOPICS[row.topic], topics=(row.topic,),
                                       hours=row.hours, text=USER_NOTE))
    caps = ()
    if given.self_study_cap is not None:
        caps = (FormatCap("Self-study", ("self_study",), given.self_study_cap, text=USER_NOTE),)
    live = None
    if given.live_minimum is not None:
        live = LiveMinimum("Live (in person or live online)", given.live_minimum, text=USER_NOTE)
    carry = CarryOver(given.carry_over if given.carry_over is not None else Decimal(0), text=USER_NOTE)
    return custom_rule_set(slug=CUSTOM, state=state_code(issuing_body), profession=profession,
                           license_type=license_type or title, title=title, total_hours=given.total_hours,
                           cycle_years=given.cycle_years, topics=tuple(topics), format_caps=caps,
                           live_minimum=live, carry_over=carry)


def applicable_keys(rule_set: RuleSet, rows: tuple[TopicInput, ...]) -> list[str]:
    """Requirement keys whose condition the user says applies to them (unknown keys dropped)."""
    conditional = {requirement.key for requirement in rule_set.topics if requirement.condition}
    return sorted({row.key for row in rows if row.applies and row.key in conditional})


def done_before_keys(rule_set: RuleSet, rows: tuple[TopicInput, ...]) -> list[str]:
    """Once-in-a-career requirement keys the user says were completed before this cycle."""
    once = {requirement.key for requirement in rule_set.topics if requirement.frequency is Frequency.ONCE}
    return sorted({row.key for row in rows if row.done_before and row.key in once})


def with_done_before(last_met: dict[str, int], cycle_number: int, rule_set: RuleSet,
                     ticked: list[str]) -> dict[str, int]:
    """The cycle's record of earlier-met requirements, with the user's word on once-in-a-career ones.

    A license added mid-career has no tracked cycle in which, say, NY's child-abuse course was
    taken: a ticked requirement is recorded as met in cycle 0 (before any cycle kept here), so it
    is never asked for again; an unticked one loses an earlier record (the user says it is not done).
    """
    result = dict(last_met or {})
    for requirement in rule_set.topics:
        if requirement.frequency is not Frequency.ONCE:
            continue
        key = requirement.key
        earlier = key in result and result[key] < cycle_number
        if key in ticked and not earlier:
            result[key] = 0
        elif key not in ticked and earlier:
            del result[key]
    return result


def state_code(issuing_body: str) -> str:
    """"Texas", "TX" or "Texas Board of ..." -> "TX"; "" when no state is named."""
    text = (issuing_body or "").strip()
    if text.upper() in STATE_NAMES:
        return text.upper()
    folded = text.casefold()
    for code, name in sorted(STATE_NAMES.items(), key=lambda item: -len(item[1])):
        if code != "US" and folded.startswith(name.casefold()):
            return code
    return ""


@dataclass(frozen=True)
class CycleDates:
    cycle_start: date | None
    renewal_deadline: date | None
    errors: dict[str, str]  # field name -> message
    deadline_suggested: bool = False


def resolve_cycle_dates(rule_set: RuleSet, *, cycle_start: date | None, renewal_deadline: date | None,
                        licensed_on: date | None, today: date) -> CycleDates:
    """The cycle's dates from what the user typed, filling a blank one where the rule tells it.

    A blank deadline takes the rule's suggestion; a blank start is one cycle length before
    the deadline. When the rule cannot tell, the user is asked; a deadline before the start
    is refused.
    """
    errors: dict[str, str] = {}
    suggested = False
    if renewal_deadline is None:
        renewal_deadline = suggest_deadline(rule_set, on_or_after=cycle_start or today, licensed_on=licensed_on)
        suggested = renewal_deadline is not None
        if renewal_deadline is None:
            errors["renewal_deadline"] = "Enter the renewal deadline printed on your license."
    years = rule_set.cycle.years
    if cycle_start is None and renewal_deadline is not None:
        if years:
            cycle_start = add_years(renewal_deadline, -years) + timedelta(days=1)
        else:
            errors["cycle_start"] = "Enter the date this renewal cycle started."
    if cycle_start and renewal_deadline and renewal_deadline <= cycle_start:
        errors["renewal_deadline"] = "The renewal deadline must be after the day the cycle started."
    return CycleDates(cycle_start, renewal_deadline, errors, suggested)
