"""What a license's renewal requires: the rule model, shared by the catalog and user edits.

Every part keeps the research's own words (`text`) next to its structured reading, and a
`certainty` saying whether the fact was stated, inferred, conflicting or not found, so the
app can show "verify with your board" instead of inventing a rule. Rule sets are frozen;
a user's adjustment is a new rule set (`with_changes`) stored with `to_dict`.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from app.licenses.plain import from_plain, to_plain
from app.licenses.topics import FORMATS, LIVE_FORMATS, TOPICS

FORMAT_VERSION = 1

PROFESSIONS: dict[str, str] = {
    "counselor": "Counselor",
    "social_worker": "Social worker",
    "mft": "Marriage and family therapist",
    "psychologist": "Psychologist",
    "nurse": "Nurse",
    "other": "Other",
}
CONFIDENCE_LEVELS = ("high", "medium-high", "medium", "low", "user")


class Certainty(StrEnum):
    """How sure the research is about one fact."""

    STATED = "stated"  # a source says so
    INFERRED = "inferred"  # read from related wording; not stated for this license
    CONFLICTING = "conflicting"  # sources disagree; the newest reading is used, the text says more
    NOT_FOUND = "not_found"  # the research looked and found nothing: never enforced


class Frequency(StrEnum):
    EVERY_CYCLE = "every_cycle"
    EVERY_NTH_CYCLE = "every_nth_cycle"
    ONCE = "once"  # once in a career


class DeadlineKind(StrEnum):
    FIXED_DATE = "fixed_date"  # the same calendar day for everyone (e.g. March 31 of odd years)
    END_OF_BIRTH_MONTH = "end_of_birth_month"
    END_OF_ISSUE_MONTH = "end_of_issue_month"
    LICENSE_ANNIVERSARY = "license_anniversary"  # N years from the date of licensure
    LICENSE_EXPIRATION = "license_expiration"  # the date printed on the license; basis unknown
    UNKNOWN = "unknown"


class FirstRenewalKind(StrEnum):
    SAME = "same"
    EXEMPT = "exempt"
    PRORATED = "prorated"
    REDUCED = "reduced"
    UNKNOWN = "unknown"  # not found: the full total is shown, with the research text


class Origin(StrEnum):
    CATALOG = "catalog"
    ADJUSTED = "adjusted"  # a catalog rule set the user changed
    CUSTOM = "custom"  # written by the user from scratch


def _set(obj: Any, name: str, value: Any) -> None:
    object.__setattr__(obj, name, value)


def _hours(obj: Any, *names: str) -> None:
    """Accepts int or text for hours (never float: 0.1 is not exact) and refuses negatives."""
    for name in names:
        value = getattr(obj, name)
        if value is None or isinstance(value, Decimal):
            pass
        elif isinstance(value, (int, str)) and not isinstance(value, bool):
            value = Decimal(value)
        else:
            raise TypeError(f"{name} must be a Decimal, not {type(value).__name__}")
        if value is not None and (not value.is_finite() or value < 0):
            raise ValueError(f"{name} must be a number of hours, 0 or more")
        _set(obj, name, value)


def _tuple(obj: Any, *names: str) -> None:
    for name in names:
        _set(obj, name, tuple(getattr(obj, name)))


def _known(kind: str, keys: tuple[str, ...], vocabulary: dict[str, str]) -> None:
    unknown = [key for key in keys if key not in vocabulary]
    if unknown:
        raise ValueError(f"unknown {kind} {unknown}; choose from {sorted(vocabulary)}")


@dataclass(frozen=True)
class CycleRule:
    """How long a renewal cycle is and how its deadline is set."""

    years: int | None  # None: not found
    deadline_kind: DeadlineKind
    deadline_month: int | None = None  # FIXED_DATE only
    deadline_day: int | None = None
    deadline_year_parity: str | None = None  # "odd", "even", or None for every year/unknown
    ce_period: str | None = None  # set when CE is counted over a period unlike the renewal's
    certainty: Certainty = Certainty.STATED
    text: str = ""

    def __post_init__(self) -> None:
        if self.years is not None and self.years < 1:
            raise ValueError("cycle years must be 1 or more")
        if self.deadline_year_parity not in (None, "odd", "even"):
            raise ValueError("deadline_year_parity must be 'odd', 'even' or None")
        if self.deadline_kind is DeadlineKind.FIXED_DATE:
            if not (self.deadline_month and self.deadline_day):
                raise ValueError("a fixed deadline needs its month and day")
            date(2001, self.deadline_month, self.deadline_day)  # raises on 31 April etc.


@dataclass(frozen=True)
class TopicRequirement:
    """Minimum hours on a topic; any of `topics` counts toward it."""

    key: str  # unique within its rule set, e.g. "law_and_ethics"
    label: str
    topics: tuple[str, ...]
    hours: Decimal | None  # None: a course is required but no hours are set (or not found)
    frequency: Frequency = Frequency.EVERY_CYCLE
    every_n_cycles: int | None = None
    per_year: bool = False  # hours are per year of the cycle (cycle length not known ahead)
    condition: str | None = None  # only for some licensees: shown "if applicable"
    formats: tuple[str, ...] = ()  # only hours in these formats count; empty: any format
    applies_from: date | None = None  # not required before this date ...
    applies_from_basis: str = "deadline"  # ... compared with the cycle's "deadline" or "cycle_start"
    certainty: Certainty = Certainty.STATED
    text: str = ""
    interpretation: str = ""

    def __post_init__(self) -> None:
        _hours(self, "hours")
        _tuple(self, "topics", "formats")
        if not self.topics:
            raise ValueError(f"requirement {self.key!r} names no topic")
        _known("topic", self.topics, TOPICS)
        _known("format", self.formats, FORMATS)
        if (self.frequency is Frequency.EVERY_NTH_CYCLE) != (self.every_n_cycles is not None):
            raise ValueError("every_n_cycles goes with (and only with) every_nth_cycle")
        if self.every_n_cycles is not None and self.every_n_cycles < 2:
            raise ValueError("every_n_cycles must be 2 or more")
        if self.applies_from_basis not in ("deadline", "cycle_start"):
            raise ValueError("applies_from_basis must be 'deadline' or 'cycle_start'")

    @property
    def frequency_label(self) -> str:
        if self.frequency is Frequency.ONCE:
            return "once"
        if self.frequency is Frequency.EVERY_NTH_CYCLE:
            return f"every {self.every_n_cycles} cycles"
        return "every cycle"


@dataclass(frozen=True)
class FormatCap:
    """At most `max_hours` from the listed formats; kept as information when not enforceable."""

    label: str
    formats: tuple[str, ...]  # empty: a kind of activity the app does not track (e.g. teaching)
    max_hours: Decimal | None  # None: no cap (or the cap was not found: see certainty)
    certainty: Certainty = Certainty.STATED
    text: str = ""
    interpretation: str = ""

    def __post_init__(self) -> None:
        _hours(self, "max_hours")
        _tuple(self, "formats")
        _known("format", self.formats, FORMATS)

    @property
    def enforced(self) -> bool:
        return bool(self.formats) and self.max_hours is not None \
            and self.certainty is not Certainty.NOT_FOUND


@dataclass(frozen=True)
class LiveMinimum:
    """At least `min_hours` in live formats (in person or live online)."""

    label: str
    min_hours: Decimal | None  # None: not found
    formats: tuple[str, ...] = LIVE_FORMATS
    certainty: Certainty = Certainty.STATED
    text: str = ""
    interpretation: str = ""

    def __post_init__(self) -> None:
        _hours(self, "min_hours")
        _tuple(self, "formats")
        _known("format", self.formats, FORMATS)


@dataclass(frozen=True)
class ProviderMinimum:
    """At least some hours (or a share of the total) approved by listed bodies."""

    label: str
    min_hours: Decimal | None
    min_share: Decimal | None = None  # e.g. 0.5 of the required total; wins over min_hours
    approval_bodies: tuple[str, ...] = ()  # as printed on certificates, e.g. "APA", "NBCC"
    bodies_complete: bool = False  # False: other bodies may count too, so a shortfall is "verify"
    certainty: Certainty = Certainty.STATED
    text: str = ""
    interpretation: str = ""

    def __post_init__(self) -> None:
        _hours(self, "min_hours", "min_share")
        _tuple(self, "approval_bodies")
        if self.min_share is not None and self.min_share > 1:
            raise ValueError("min_share is a fraction between 0 and 1")


@dataclass(frozen=True)
class CarryOver:
    """Excess hours that may count in the next cycle."""

    max_hours: Decimal | None  # 0: none; None: not found (nothing is carried)
    certainty: Certainty = Certainty.STATED
    text: str = ""
    interpretation: str = ""

    def __post_init__(self) -> None:
        _hours(self, "max_hours")


@dataclass(frozen=True)
class FirstRenewal:
    """What the first renewal after licensure requires."""

    kind: FirstRenewalKind
    hours: Decimal | None = None  # REDUCED: the total instead of the usual one
    hours_per_month: Decimal | None = None  # PRORATED: hours per whole month of the first cycle
    still_required: tuple[str, ...] = ()  # EXEMPT: requirement keys due even so
    exempt_within_months: int | None = None  # EXEMPT only if licensed this close to the deadline
    only_if_short_period: bool = False  # REDUCED only if the first cycle is shorter than usual
    certainty: Certainty = Certainty.STATED
    text: str = ""
    interpretation: str = ""

    def __post_init__(self) -> None:
        _hours(self, "hours", "hours_per_month")
        _tuple(self, "still_required")
        if self.kind is FirstRenewalKind.REDUCED and self.hours is None:
            raise ValueError("a reduced first renewal needs its hours")
        if self.kind is FirstRenewalKind.PRORATED and self.hours_per_month is None:
            raise ValueError("a prorated first renewal needs hours_per_month")


@dataclass(frozen=True)
class RuleSet:
    """Everything one license type requires per renewal, with where it came from."""

    slug: str
    state: str  # two-letter code; "US" for national certifications
    profession: str  # a PROFESSIONS key
    license_type: str  # "LPC"
    title: str  # "Licensed Professional Counselor"
    cycle: CycleRule
    total_hours: Decimal
    topics: tuple[TopicRequirement, ...] = ()
    format_caps: tuple[FormatCap, ...] = ()
    live_minimum: LiveMinimum | None = None
    provider_minimum: ProviderMinimum | None = None
    max_hours_per_day: Decimal | None = None
    carry_over: CarryOver = field(default_factory=lambda: CarryOver(Decimal(0)))
    first_renewal: FirstRenewal = field(default_factory=lambda: FirstRenewal(FirstRenewalKind.SAME))
    approved_providers: str = ""  # the research's words on who may offer CE
    sources: tuple[str, ...] = ()  # "URL (date the page states)"
    checked_on: date | None = None
    confidence: str = "user"
    notes: str = ""
    origin: Origin = Origin.CATALOG
    based_on: str | None = None  # the catalog slug an adjusted rule set started from

    def __post_init__(self) -> None:
        _hours(self, "total_hours", "max_hours_per_day")
        if self.total_hours is None:
            raise ValueError("total_hours is required (0 when a license has no general hours)")
        _tuple(self, "topics", "format_caps", "sources")
        if not self.slug or not self.title:
            raise ValueError("a rule set needs a slug and a title")
        _known("profession", (self.profession,), PROFESSIONS)
        if self.confidence not in CONFIDENCE_LEVELS:
            raise ValueError(f"confidence must be one of {CONFIDENCE_LEVELS}")
        keys = [requirement.key for requirement in self.topics]
        if len(set(keys)) != len(keys):
            raise ValueError(f"requirement keys repeat: {keys}")
        missing = set(self.first_renewal.still_required) - set(keys)
        if missing:
            raise ValueError(f"first_renewal.still_required names unknown requirements {missing}")
        _check_laminar([cap for cap in self.format_caps if cap.enforced])

    def requirement(self, key: str) -> TopicRequirement:
        for requirement in self.topics:
            if requirement.key == key:
                return requirement
        raise KeyError(key)

    @property
    def enforced_caps(self) -> tuple[FormatCap, ...]:
        return tuple(cap for cap in self.format_caps if cap.enforced)

    def with_changes(self, **changes: Any) -> RuleSet:
        """A user's adjusted copy; it remembers which catalog entry it came from."""
        if self.origin is Origin.CATALOG:
            changes.setdefault("origin", Origin.ADJUSTED)
            changes.setdefault("based_on", self.slug)
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able dict (hours as text, dates ISO) for a database column or YAML."""
        return {"format_version": FORMAT_VERSION, **to_plain(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RuleSet:
        """The inverse of `to_dict`; raises ValueError naming the first bad field."""
        data = dict(data)
        version = data.pop("format_version", FORMAT_VERSION)
        if version != FORMAT_VERSION:
            raise ValueError(f"rule set format {version} is not supported")
        return from_plain(cls, data, where=str(data.get("slug") or "RuleSet"))


def custom_rule_set(*, slug: str, state: str, profession: str, license_type: str, title: str,
                    total_hours: Decimal, cycle_years: int | None,
                    **more: Any) -> RuleSet:
    """A user's own rule set, for a license the catalog lacks."""
    return RuleSet(slug=slug, state=state, profession=profession, license_type=license_type,
                   title=title, total_hours=total_hours,
                   cycle=more.pop("cycle", CycleRule(cycle_years, DeadlineKind.LICENSE_EXPIRATION)),
                   origin=Origin.CUSTOM, confidence="user", **more)


def _check_laminar(caps: list[FormatCap]) -> None:
    """Enforced caps must nest or be apart, so that counting them has one exact answer."""
    for index, first in enumerate(caps):
        for second in caps[index + 1:]:
            a, b = set(first.formats), set(second.formats)
            if a & b and not (a <= b or b <= a):
                raise ValueError(f"caps {first.label!r} and {second.label!r} overlap partly")
