"""Words for showing a rule set and its progress: certainty, deadlines, states, origins.

Template filters only; no rule is decided here. A fact the research marked conflicting or
not found is always shown as such, with "verify with your board", never as a plain fact.
"""
from __future__ import annotations

import calendar

from flask import Flask

from app.licenses.cards import STATUS_LABELS, STATUS_MARKS
from app.licenses.progress import Status, days_words
from app.licenses.progress_rules import hours_text
from app.licenses.rules import CycleRule, DeadlineKind, FirstRenewal, FirstRenewalKind, Origin, RuleSet
from app.licenses.states import state_name
from app.licenses.topics import format_label, topic_label

CERTAINTY_LABELS = {
    "stated": "Stated by a source",
    "inferred": "Inferred",
    "conflicting": "Sources conflict",
    "not_found": "Not found",
}
CERTAINTY_NOTES = {
    "stated": "",
    "inferred": "Read from related wording, not stated for this license: verify with your board.",
    "conflicting": "Sources disagree; the newest reading is shown: verify with your board.",
    "not_found": "The research found nothing on this: it is not enforced here; verify with your board.",
}
DEADLINE_WORDS = {
    DeadlineKind.FIXED_DATE: "the same date for every licensee",
    DeadlineKind.END_OF_BIRTH_MONTH: "the end of your birth month",
    DeadlineKind.END_OF_ISSUE_MONTH: "the end of the month your license was issued",
    DeadlineKind.LICENSE_ANNIVERSARY: "the anniversary of your licensure",
    DeadlineKind.LICENSE_EXPIRATION: "the expiration date printed on your license",
    DeadlineKind.UNKNOWN: "not found in the research",
}
TOPIC_STATES = {
    "met": "Met",
    "missing": "Still needed",
    "if_applicable": "Only if it applies to you",
    "verify": "Verify with your board",
    "unverified": "Check your certificates",
}


def certainty_label(value) -> str:
    return CERTAINTY_LABELS.get(str(getattr(value, "value", value)), str(value))


def certainty_note(value) -> str:
    return CERTAINTY_NOTES.get(str(getattr(value, "value", value)), "")


def cycle_words(rule: CycleRule) -> str:
    """"Every 2 years; deadline: March 31 of odd years." or what the research lacked."""
    length = "Cycle length not found" if rule.years is None else \
        ("Every year" if rule.years == 1 else f"Every {rule.years} years")
    if rule.deadline_kind is DeadlineKind.FIXED_DATE:
        when = f"{calendar.month_name[rule.deadline_month]} {rule.deadline_day}"
        if rule.deadline_year_parity:
            when += f" of {rule.deadline_year_parity} years"
    else:
        when = DEADLINE_WORDS[rule.deadline_kind]
    return f"{length}; deadline: {when}."


def origin_words(rule_set: RuleSet) -> str:
    if rule_set.origin is Origin.CUSTOM:
        return "Rules you entered yourself."
    if rule_set.origin is Origin.ADJUSTED:
        return f"The catalog's rules ({rule_set.based_on}), with figures you changed."
    return "The catalog's rules, from the research below."


def source_parts(source: str) -> tuple[str | None, str]:
    """("https://...", "(2023-04-01)") for a cited page; (None, text) for other citations."""
    text = (source or "").strip()
    if text.startswith(("https://", "http://")):
        url, _, rest = text.partition(" ")
        return url, rest.strip()
    return None, text


def status_label(status) -> str:
    return STATUS_LABELS[Status(getattr(status, "value", status))]


def status_mark(status) -> str:
    return STATUS_MARKS[Status(getattr(status, "value", status))]


def topic_state(state: str) -> str:
    return TOPIC_STATES.get(state, state.replace("_", " "))


def formats_words(formats) -> str:
    return ", ".join(format_label(f) for f in formats) or "kinds of activity the app does not track"


def topics_words(topics) -> str:
    return ", ".join(topic_label(t) for t in topics)


def first_renewal_words(rule: FirstRenewal) -> str:
    if rule.kind is FirstRenewalKind.EXEMPT:
        within = (f" when licensed within {rule.exempt_within_months} months of the deadline"
                  if rule.exempt_within_months else "")
        return f"Exempt{within}."
    if rule.kind is FirstRenewalKind.REDUCED:
        return f"{hours_text(rule.hours)} instead of the usual total" + \
            (" when the first cycle is shorter than usual." if rule.only_if_short_period else ".")
    if rule.kind is FirstRenewalKind.PRORATED:
        return f"Prorated: {hours_text(rule.hours_per_month)} for each whole month of the first cycle."
    if rule.kind is FirstRenewalKind.UNKNOWN:
        return "Not found: the full total is shown."
    return "The same as every renewal."


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        certainty_label=certainty_label, certainty_note=certainty_note, cycle_words=cycle_words,
        origin_words=origin_words, source_parts=source_parts, status_label=status_label,
        status_mark=status_mark, topic_state=topic_state, formats_words=formats_words,
        topics_words=topics_words, days_words=days_words, state_name=state_name,
        first_renewal_words=first_renewal_words, format_words=format_label, topic_words=topic_label)
