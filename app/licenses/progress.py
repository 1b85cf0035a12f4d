"""Progress toward one renewal: pure functions over a rule set, a cycle and logged activities.

No database, no Flask: the web layer turns its rows into `ActivityCredit` and `Cycle` and
shows the `CycleProgress` it gets back. Facts the research did not find are reported as
"verify" and never block completion; conditional topics block only when the caller says
the condition applies to this licensee.

Status rule (`status`):
- complete: every blocking item is met (total, due topics, live and provider minimums);
- overdue: not complete and the deadline has passed;
- at_risk: not complete and either at most AT_RISK_DAYS (90) days are left, or the cycle is
  at least half over and the counted hours are behind a straight-line pace
  (required total x share of the cycle elapsed);
- on_track: otherwise.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from app.licenses.counting import Portion, countable_hours
from app.licenses.cycles import Cycle, next_cycle
from app.licenses.progress_rules import (
    ZERO,
    hours_text,
    required_total,
    requirement_hours,
    topic_not_due_reason,
)
from app.licenses.rules import Certainty, RuleSet, TopicRequirement
from app.licenses.topics import FORMATS, TOPICS

__all__ = ["AT_RISK_DAYS", "ActivityCredit", "Cycle", "CycleProgress", "MinimumProgress",
           "Status", "TopicNotDue", "TopicProgress", "compute_progress", "next_cycle"]

AT_RISK_DAYS = 90
PACE_CHECK_FROM = Decimal("0.5")  # share of the cycle elapsed before pace is judged


class Status(StrEnum):
    COMPLETE = "complete"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class ActivityCredit:
    """One logged CE activity, as far as renewal rules care."""

    activity_id: int | str
    completed_on: date
    hours: Decimal
    format: str  # a FORMATS key
    topic_hours: Mapping[str, Decimal] = field(default_factory=dict)  # TOPICS key -> hours
    approval_body: str | None = None  # as printed, e.g. "NBCC", "APA"

    def __post_init__(self) -> None:
        if not isinstance(self.hours, Decimal) or not self.hours.is_finite() or self.hours < 0:
            raise ValueError("hours must be a Decimal, 0 or more")
        if self.format not in FORMATS:
            raise ValueError(f"unknown format {self.format!r}")
        for topic, hours in self.topic_hours.items():
            if topic not in TOPICS:
                raise ValueError(f"unknown topic {topic!r}")
            if not isinstance(hours, Decimal) or not (0 <= hours <= self.hours):
                raise ValueError(f"{topic} hours must be a Decimal between 0 and the activity's")


@dataclass(frozen=True)
class TopicProgress:
    """A topic requirement due this cycle. state: met, missing, if_applicable, verify."""

    key: str
    label: str
    required: Decimal | None  # None: a course is required but no hours are set, or not found
    counted: Decimal
    missing: Decimal
    state: str
    blocking: bool
    frequency: str
    condition: str | None
    certainty: Certainty
    text: str

    @property
    def met(self) -> bool:
        return self.state == "met"


@dataclass(frozen=True)
class TopicNotDue:
    """A requirement of the rule set that does not apply to this cycle, and why."""

    key: str
    label: str
    reason: str


@dataclass(frozen=True)
class MinimumProgress:
    """Live or provider minimum. state: met, missing, unverified (list incomplete), verify."""

    label: str
    required: Decimal | None
    counted: Decimal
    missing: Decimal
    state: str
    blocking: bool
    text: str


@dataclass(frozen=True)
class CapUse:
    """A format cap and the hours logged under it (over_by of them cannot count)."""

    label: str
    max_hours: Decimal
    logged: Decimal
    over_by: Decimal


@dataclass(frozen=True)
class CycleProgress:
    rule_set_slug: str
    cycle_start: date
    renewal_deadline: date
    today: date
    required_total: Decimal  # after a first-renewal exemption, reduction or proration
    required_total_note: str
    logged_hours: Decimal  # activities dated inside the cycle, before caps
    carried_in_hours: Decimal
    counted_hours: Decimal  # after caps and the daily limit, plus carried-in hours
    remaining_hours: Decimal  # never negative
    topics: tuple[TopicProgress, ...]
    topics_not_due: tuple[TopicNotDue, ...]
    live_minimum: MinimumProgress | None
    provider_minimum: MinimumProgress | None
    caps: tuple[CapUse, ...]
    ignored_activity_ids: tuple[int | str, ...]  # dated outside the cycle
    status: Status
    days_left: int  # negative once overdue
    missing_items: tuple[str, ...]  # "2 h of ethics", ..., "6 h in total"
    summary: str  # "Still needed: 2 h of ethics and 6 h in total, 41 days left."
    carry_over_hours: Decimal  # excess that may count next cycle (0 when none or not found)
    met_requirement_keys: tuple[str, ...]


def compute_progress(rule_set: RuleSet, cycle: Cycle, activities: Iterable[ActivityCredit],
                     today: date, applicable_conditions: Collection[str] = ()) -> CycleProgress:
    """Where a licensee stands in one cycle. `applicable_conditions`: requirement keys whose
    condition (e.g. "supervisors") the licensee says applies to them."""
    activities = list(activities)
    def in_cycle(activity: ActivityCredit) -> bool:
        return cycle.cycle_start <= activity.completed_on <= cycle.renewal_deadline

    inside = [a for a in activities if in_cycle(a)]
    ignored = tuple(sorted((a.activity_id for a in activities if not in_cycle(a)), key=str))

    def count(hours_of) -> Decimal:
        portions = (Portion(a.completed_on, a.format, hours_of(a)) for a in inside)
        return countable_hours(portions, rule_set.enforced_caps, rule_set.max_hours_per_day)

    logged = sum((a.hours for a in inside), ZERO)
    counted_own = count(lambda a: a.hours)
    total, total_note, exempt = required_total(rule_set, cycle)
    counted = counted_own + cycle.carried_in_hours

    topics, not_due = [], []
    for requirement in rule_set.topics:
        reason = topic_not_due_reason(requirement, rule_set, cycle, exempt)
        if reason:
            not_due.append(TopicNotDue(requirement.key, requirement.label, reason))
        else:
            topics.append(_topic(requirement, cycle, count, applicable_conditions))
    live = None if exempt else _live(rule_set, count)
    provider = None if exempt else _provider(rule_set, total, count)

    remaining = max(ZERO, total - counted)
    missing_items = [_topic_words(t) for t in topics if t.blocking and not t.met]
    missing_items += [f"{hours_text(m.missing)} {m.label.lower()}"
                      for m in (live, provider) if m and m.blocking and m.state == "missing"]
    if remaining > 0:
        missing_items.append(f"{hours_text(remaining)} in total")
    days_left = (cycle.renewal_deadline - today).days
    status = _status(not missing_items, days_left, cycle, total, counted, today)
    return CycleProgress(
        rule_set_slug=rule_set.slug, cycle_start=cycle.cycle_start,
        renewal_deadline=cycle.renewal_deadline, today=today,
        required_total=total, required_total_note=total_note, logged_hours=logged,
        carried_in_hours=cycle.carried_in_hours, counted_hours=counted,
        remaining_hours=remaining, topics=tuple(topics), topics_not_due=tuple(not_due),
        live_minimum=live, provider_minimum=provider, caps=_cap_uses(rule_set, inside),
        ignored_activity_ids=ignored, status=status, days_left=days_left,
        missing_items=tuple(missing_items),
        summary=_summary(missing_items, days_left, counted, total),
        carry_over_hours=_carry_over(rule_set, counted_own, counted, total),
        met_requirement_keys=tuple(t.key for t in topics if t.met))


def _topic(requirement: TopicRequirement, cycle: Cycle, count,
           applicable_conditions: Collection[str]) -> TopicProgress:
    def topic_share(activity: ActivityCredit) -> Decimal:
        if requirement.formats and activity.format not in requirement.formats:
            return ZERO
        on_topic = sum((activity.topic_hours.get(t, ZERO) for t in requirement.topics), ZERO)
        return min(activity.hours, on_topic)

    counted = count(topic_share)
    required = requirement_hours(requirement, cycle)
    if required is None:
        met = counted > 0
    else:
        met = counted >= required
    missing = ZERO if required is None else max(ZERO, required - counted)
    conditional_off = bool(requirement.condition) and requirement.key not in applicable_conditions
    if requirement.certainty is Certainty.NOT_FOUND:
        state, blocking = ("met" if met and required is not None else "verify"), False
    elif met:
        state, blocking = "met", False
    elif conditional_off:
        state, blocking = "if_applicable", False
    else:
        state, blocking = "missing", True
    return TopicProgress(
        key=requirement.key, label=requirement.label, required=required, counted=counted,
        missing=missing, state=state, blocking=blocking, frequency=requirement.frequency_label,
        condition=requirement.condition, certainty=requirement.certainty, text=requirement.text)


def _live(rule_set: RuleSet, count) -> MinimumProgress | None:
    rule = rule_set.live_minimum
    if rule is None:
        return None
    counted = count(lambda a: a.hours if a.format in rule.formats else ZERO)
    if rule.min_hours is None or rule.certainty is Certainty.NOT_FOUND:
        return MinimumProgress(rule.label, rule.min_hours, counted, ZERO, "verify", False, rule.text)
    missing = max(ZERO, rule.min_hours - counted)
    state = "met" if not missing else "missing"
    return MinimumProgress(rule.label, rule.min_hours, counted, missing, state, bool(missing),
                           rule.text)


def _provider(rule_set: RuleSet, total: Decimal, count) -> MinimumProgress | None:
    rule = rule_set.provider_minimum
    if rule is None:
        return None
    bodies = {_body(b) for b in rule.approval_bodies}
    counted = count(lambda a: a.hours if _body(a.approval_body) in bodies else ZERO)
    required = rule.min_hours if rule.min_share is None else rule.min_share * total
    if required is None or rule.certainty is Certainty.NOT_FOUND:
        return MinimumProgress(rule.label, required, counted, ZERO, "verify", False, rule.text)
    missing = max(ZERO, required - counted)
    if not missing:
        state = "met"
    elif rule.bodies_complete and bodies:
        state = "missing"
    else:
        state = "unverified"  # the app does not know every body that counts: the user checks
    return MinimumProgress(rule.label, required, counted, missing, state, state == "missing",
                           rule.text)


def _body(name: str | None) -> str:
    return " ".join((name or "").casefold().split())


def _cap_uses(rule_set: RuleSet, inside: list[ActivityCredit]) -> tuple[CapUse, ...]:
    uses = []
    for cap in rule_set.enforced_caps:
        logged = sum((a.hours for a in inside if a.format in cap.formats), ZERO)
        uses.append(CapUse(cap.label, cap.max_hours, logged, max(ZERO, logged - cap.max_hours)))
    return tuple(uses)


def _carry_over(rule_set: RuleSet, counted_own: Decimal, counted: Decimal,
                total: Decimal) -> Decimal:
    """Excess of this cycle's own hours (carried-in hours never carry twice), up to the max."""
    rule = rule_set.carry_over
    if rule.max_hours is None or rule.certainty is Certainty.NOT_FOUND:
        return ZERO
    excess = min(counted_own, max(ZERO, counted - total))
    return min(rule.max_hours, excess)


def _status(complete: bool, days_left: int, cycle: Cycle, total: Decimal, counted: Decimal,
            today: date) -> Status:
    if complete:
        return Status.COMPLETE
    if days_left < 0:
        return Status.OVERDUE
    if days_left <= AT_RISK_DAYS:
        return Status.AT_RISK
    length = (cycle.renewal_deadline - cycle.cycle_start).days or 1
    elapsed = Decimal(max(0, (today - cycle.cycle_start).days)) / Decimal(length)
    if elapsed >= PACE_CHECK_FROM and counted < total * elapsed:
        return Status.AT_RISK
    return Status.ON_TRACK


def _topic_words(topic: TopicProgress) -> str:
    label = topic.label[0].lower() + topic.label[1:] if topic.label[1:2].islower() else topic.label
    if topic.required is None:
        return f"a {label}" if "course" in label.casefold() else f"a {label} course"
    return f"{hours_text(topic.missing)} of {label}"


def days_words(days_left: int) -> str:
    """"41 days left", "due today", "3 days overdue": a deadline's distance as people say it."""
    if days_left > 1:
        return f"{days_left} days left"
    if days_left == 1:
        return "1 day left"
    if days_left == 0:
        return "due today"
    return f"{-days_left} day{'s' if days_left < -1 else ''} overdue"


def _summary(missing: list[str], days_left: int, counted: Decimal, total: Decimal) -> str:
    if not missing:
        return f"Complete: {hours_text(counted)} counted of {hours_text(total)} required."
    listed = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
    return f"Still needed: {listed}, {days_words(days_left)}."
