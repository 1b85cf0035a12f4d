"""Dashboard cards: each license's current cycle in words and figures, cached per user and day.

Cards are plain frozen dataclasses (no ORM rows), so one computed list can be kept across
requests by progress_cache and shown by the dashboard and the license list alike.
"""
from __future__ import annotations

from dataclasses import dataclass

from app.licenses.progress import CycleProgress, Status
from app.licenses.progress_cache import cached
from app.licenses.progress_rules import hours_text
from app.licenses.rules import RuleSet
from app.licenses.standing import Standing, standings
from app.timezones import user_today

STATUS_LABELS = {
    Status.COMPLETE: "Complete",
    Status.ON_TRACK: "On track",
    Status.AT_RISK: "At risk",
    Status.OVERDUE: "Overdue",
}
# A shape beside the word, so the status never depends on colour alone.
STATUS_MARKS = {Status.COMPLETE: "✓", Status.ON_TRACK: "●", Status.AT_RISK: "!", Status.OVERDUE: "✕"}


@dataclass(frozen=True)
class LicenseCard:
    license_id: int
    cycle_id: int
    name: str  # "Licensed Professional Counselor (LPC)"
    issuing_body: str
    license_number: str | None
    progress: CycleProgress
    next_step: str
    activities_in_cycle: int = 0
    rule_set: RuleSet | None = None  # parsed once with the progress, so a license page need not

    @property
    def status(self) -> str:
        return self.progress.status.value

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.progress.status]

    @property
    def status_mark(self) -> str:
        return STATUS_MARKS[self.progress.status]


def license_name(profession: str, credential: str | None) -> str:
    if credential and credential.casefold() not in profession.casefold():
        return f"{profession} ({credential})"
    return profession


def next_step(progress: CycleProgress) -> str:
    """What to do next, in one sentence."""
    if progress.status is Status.COMPLETE:
        return "Everything is in: renew with your board, then record the renewal here."
    if progress.status is Status.OVERDUE:
        return "The deadline has passed: ask your board about a late renewal, and log the hours you have done."
    for topic in progress.topics:
        if topic.blocking and not topic.met:
            label = topic.label[0].lower() + topic.label[1:] if topic.label[1:2].islower() else topic.label
            if topic.required is None:
                return f"Take a course on {label}."
            return f"Take {hours_text(topic.missing)} on {label}."
    for minimum in (progress.live_minimum, progress.provider_minimum):
        if minimum and minimum.blocking and minimum.state == "missing":
            return f"Log {hours_text(minimum.missing)} {minimum.label.lower()}."
    if progress.remaining_hours > 0:
        return f"Log {hours_text(progress.remaining_hours)} more on any approved topic."
    return "Log your next activity when you finish it."


def card(standing: Standing) -> LicenseCard:
    license = standing.license
    return LicenseCard(license_id=license.id, cycle_id=standing.cycle.id,
                       name=license_name(license.profession, license.credential),
                       issuing_body=license.issuing_body, license_number=license.license_number,
                       progress=standing.progress, next_step=next_step(standing.progress),
                       activities_in_cycle=standing.activities_in_cycle, rule_set=standing.rule_set)


def dashboard_cards(user) -> tuple[LicenseCard, ...]:
    """One card per license, deadlines soonest first (cached until the user's data changes)."""
    today = user_today(user)
    return cached("cards", user.id, today, lambda: tuple(card(s) for s in standings(user.id, today)))


def card_of(user, license_id: int) -> LicenseCard | None:
    """One license's card from the same cached list (None when the license has no cycle)."""
    return next((c for c in dashboard_cards(user) if c.license_id == license_id), None)
