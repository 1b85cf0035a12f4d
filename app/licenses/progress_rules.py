"""The rule readings behind progress: what total is due and which topics apply this cycle.

Kept apart from the arithmetic in progress.py so each reading of a rule (exemptions,
proration, "every third cycle", effective dates) can be read and checked on its own.
"""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from app.licenses.cycles import Cycle, add_months, whole_months
from app.licenses.plain import decimal_text
from app.licenses.rules import FirstRenewalKind, Frequency, RuleSet, TopicRequirement

ZERO = Decimal(0)
VERIFY = "verify with your board"


def hours_text(hours: Decimal) -> str:
    return f"{decimal_text(hours)} h"


def required_total(rule_set: RuleSet, cycle: Cycle) -> tuple[Decimal, str, bool]:
    """(hours due this cycle, a note saying why if not the usual total, exempt?)."""
    total = rule_set.total_hours
    rule = rule_set.first_renewal
    if not cycle.is_first_renewal or rule.kind is FirstRenewalKind.SAME:
        return total, "", False
    if rule.kind is FirstRenewalKind.UNKNOWN:
        return total, f"First-renewal rule not found: the full total is shown; {VERIFY}.", False
    if rule.kind is FirstRenewalKind.EXEMPT:
        if rule.exempt_within_months is None:
            return ZERO, "First renewal: exempt.", True
        if cycle.licensed_on is None:
            return total, ("First-renewal exemption depends on your license date: "
                           "enter it to apply the exemption."), False
        if cycle.licensed_on > add_months(cycle.renewal_deadline, -rule.exempt_within_months):
            return ZERO, "First renewal: exempt (licensed late in the cycle).", True
        return total, "First renewal: not exempt (licensed early in the cycle).", False
    start = cycle.licensed_on or cycle.cycle_start
    months = whole_months(start, cycle.renewal_deadline + timedelta(days=1))
    if rule.kind is FirstRenewalKind.REDUCED:
        years = rule_set.cycle.years
        if rule.only_if_short_period and (years is None or months >= years * 12):
            return total, "", False
        hours = min(total, rule.hours)
        return hours, f"First renewal: {hours_text(hours)} instead of {hours_text(total)}.", False
    hours = min(total, rule.hours_per_month * months)
    return hours, (f"First renewal: prorated, {hours_text(rule.hours_per_month)} for each of "
                   f"{months} whole months."), False


def requirement_hours(requirement: TopicRequirement, cycle: Cycle) -> Decimal | None:
    """Hours due this cycle: per-year requirements scale with the cycle's length."""
    if requirement.hours is None or not requirement.per_year:
        return requirement.hours
    return requirement.hours * cycle.length_in_years


def topic_not_due_reason(requirement: TopicRequirement, rule_set: RuleSet, cycle: Cycle,
                         exempt: bool) -> str:
    """Why a requirement does not apply to this cycle; "" when it applies."""
    if exempt and requirement.key not in rule_set.first_renewal.still_required:
        return "Not required: the first renewal is exempt."
    if requirement.applies_from is not None:
        if requirement.applies_from_basis == "cycle_start":
            basis, words = cycle.cycle_start, "cycles starting"
        else:
            basis, words = cycle.renewal_deadline, "renewals due"
        if basis < requirement.applies_from:
            return f"Required for {words} on or after {requirement.applies_from.isoformat()}."
    earlier = [number for key, number in cycle.last_met_cycle.items()
               if key == requirement.key and number < cycle.cycle_number]
    if not earlier:
        return ""
    last = max(earlier)
    if requirement.frequency is Frequency.ONCE:
        if last == 0:  # ticked on the license form: done before any cycle kept here
            return "Already completed (as you noted on the license); required once in a career."
        return f"Done once already (cycle {last}); required once in a career."
    if requirement.frequency is Frequency.EVERY_NTH_CYCLE:
        next_due = last + requirement.every_n_cycles
        if cycle.cycle_number < next_due:
            return f"Done in cycle {last}; due again in cycle {next_due}."
    return ""

