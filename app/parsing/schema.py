"""The extraction schema shared by the local parser and the AI reader.

Two shapes live here. `Extraction` is what the app trusts: every value is in
range and every name is one the app knows. `CertificateAnswer` is what the AI
is asked to fill in; it is deliberately loose (plain strings and floats) so
that one absurd value costs one field, not the whole answer, when
`check_answer` turns it into an `Extraction`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

CATEGORY_NAMES: tuple[str, ...] = (
    "ethics", "law", "cultural_diversity", "suicide_prevention", "supervision",
    "clinical", "domestic_violence", "hiv_aids", "human_trafficking",
    "implicit_bias", "pain_management", "pharmacology", "general",
)
APPROVAL_BODIES: tuple[str, ...] = ("NBCC", "APA", "ASWB", "ANCC", "ACPE", "state board")
FORMATS: tuple[str, ...] = ("live", "live_online", "self_study")
FIELD_NAMES: tuple[str, ...] = (
    "is_certificate", "title", "provider", "completed_on", "hours", "format",
    "categories", "approval_body", "approval_number", "participant",
)
MAX_HOURS = Decimal(100)
MAX_TEXT = 300  # longer "titles" are paragraphs the reader swallowed by mistake
EARLIEST_DATE = date(1950, 1, 1)

CategoryName = Literal[CATEGORY_NAMES]
ApprovalBody = Literal[APPROVAL_BODIES]
Format = Literal[FORMATS]
Hours = Annotated[Decimal, Field(ge=0, le=MAX_HOURS)]
Confidence = Annotated[float, Field(ge=0, le=1)]


class CategoryCredit(BaseModel):
    """Hours the certificate explicitly assigns to one subject category."""

    model_config = ConfigDict(extra="forbid")
    name: CategoryName
    hours: Hours


class Approval(BaseModel):
    """The body the credit was awarded under and the provider's number with it."""

    model_config = ConfigDict(extra="forbid")
    body: ApprovalBody | None = None
    number: str | None = None


class Extraction(BaseModel):
    """Checked certificate fields; anything unknown is None, never a guess."""

    model_config = ConfigDict(extra="forbid")
    is_certificate: bool = True
    title: str | None = None
    provider: str | None = None
    completed_on: date | None = None
    hours: Hours | None = None
    format: Format | None = None
    categories: list[CategoryCredit] = Field(default_factory=list)
    approval: Approval = Field(default_factory=Approval)
    participant: str | None = None
    confidence: dict[str, Confidence] = Field(default_factory=dict)


class Draft(BaseModel):
    """What the user reviews before saving: the fields, who read them, and why to double-check."""

    extraction: Extraction = Field(default_factory=Extraction)
    parser: Literal["local", "ai"]
    warnings: list[str] = Field(default_factory=list)


# --- the AI's answer -------------------------------------------------------


def _choice(values: tuple[str, ...]) -> WithJsonSchema:
    """Advertise the allowed values to the model while accepting any string locally."""
    return WithJsonSchema({"anyOf": [{"type": "string", "enum": list(values)}, {"type": "null"}]})


class AnswerCategory(BaseModel):
    name: Annotated[str, WithJsonSchema({"type": "string", "enum": list(CATEGORY_NAMES)})]
    hours: float = Field(description="Hours explicitly assigned to this category (CEU x 10).")


class AnswerApproval(BaseModel):
    body: Annotated[str | None, _choice(APPROVAL_BODIES)] = Field(
        description="Body the credit is awarded under; state licensing boards are 'state board'; "
        "IACET or none stated is null.")
    number: str | None = Field(
        description="Provider approval number as printed after its label, without the label; "
        "ACPE: the UAN. Never the participant's licence number or a certificate ID.")


class AnswerConfidence(BaseModel):
    """How sure the reader is of each field, 0 (guess) to 1 (printed plainly)."""

    title: float | None
    provider: float | None
    completed_on: float | None
    hours: float | None
    format: float | None
    categories: float | None
    approval_body: float | None
    approval_number: float | None
    participant: float | None


class CertificateAnswer(BaseModel):
    """The structured output requested from the AI."""

    is_certificate: bool = Field(
        description="False for receipts, registration e-mails and anything that is not a CE certificate.")
    title: str | None = Field(description="Course or event title as printed, without quotes.")
    provider: str | None = Field(description="Organisation that offered the activity and issued the certificate.")
    completed_on: Annotated[str | None, WithJsonSchema(
        {"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]})] = Field(
        description="Date completed/attended (YYYY-MM-DD); last day of a range. Not issue, print, "
        "expiry, approval-period or birth dates.")
    hours: float | None = Field(
        description="Total CE hours awarded, 0-100. CEU x 10. Null when no credit is stated.")
    format: Annotated[str | None, _choice(FORMATS)] = Field(
        description="live = in person; live_online = real-time webinar; self_study = home study, "
        "on-demand or recorded.")
    categories: list[AnswerCategory] = Field(
        description="Only hours the text explicitly assigns to a subject category.")
    approval: AnswerApproval
    participant: str | None = Field(
        description="Learner's name without honorifics, degrees, credentials or licence numbers.")
    confidence: AnswerConfidence


# --- checking an answer ----------------------------------------------------


def _clean_text(value: Any, field: str, warnings: list[str]) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        warnings.append(f"The {field} was not text, so it was left blank.")
        return None
    text = " ".join("".join(ch for ch in value if ch.isprintable()).split())
    if len(text) > MAX_TEXT:
        warnings.append(f"The {field} was implausibly long, so it was left blank.")
        return None
    return text or None


def _to_decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _check_hours(value: Any, label: str, warnings: list[str]) -> Decimal | None:
    if value is None:
        return None
    number = _to_decimal(value)
    if number is None:
        warnings.append(f"The {label} were not a number, so they were left blank.")
        return None
    if not 0 <= number <= MAX_HOURS:
        warnings.append(f"The {label} ({number.normalize():f}) are outside 0-100, so they were left blank.")
        return None
    return number.quantize(Decimal("0.01"))


def _check_date(value: Any, today: date, warnings: list[str]) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        found = value
    else:
        try:
            found = date.fromisoformat(str(value).strip())
        except ValueError:
            warnings.append("The completion date was not a valid date, so it was left blank.")
            return None
    if found > today:
        warnings.append(f"The completion date {found.isoformat()} is in the future, so it was left blank.")
        return None
    if found < EARLIEST_DATE:
        warnings.append(f"The completion date {found.isoformat()} is implausibly old, so it was left blank.")
        return None
    return found


def _check_choice(value: Any, allowed: tuple[str, ...], label: str, warnings: list[str]) -> str | None:
    if value is None:
        return None
    if value in allowed:
        return value
    shown = str(value)[:40]
    warnings.append(f"The {label} '{shown}' is not one the app knows, so it was left blank.")
    return None


def _check_categories(value: Any, warnings: list[str]) -> list[CategoryCredit]:
    if value is None:
        return []
    if not isinstance(value, list):
        warnings.append("The topic breakdown was not a list, so it was left out.")
        return []
    totals: dict[str, Decimal] = {}
    for item in value:
        if not isinstance(item, Mapping):
            warnings.append("A topic entry was malformed, so it was left out.")
            continue
        name = _check_choice(item.get("name"), CATEGORY_NAMES, "topic", warnings)
        hours = _check_hours(item.get("hours"), "topic hours", warnings)
        if name is None or hours is None:
            continue
        totals[name] = totals.get(name, Decimal(0)) + hours
    return [CategoryCredit(name=name, hours=min(hours, MAX_HOURS)) for name, hours in totals.items()]


def _check_confidence(value: Any) -> dict[str, float]:
    if not isinstance(value, Mapping):
        return {}
    checked: dict[str, float] = {}
    for key, score in value.items():
        number = _to_decimal(score)
        if key in FIELD_NAMES and number is not None and 0 <= number <= 1:
            checked[key] = float(number)
    return checked


def check_answer(answer: Mapping[str, Any] | BaseModel, *, today: date) -> tuple[Extraction, list[str]]:
    """Range-check an untrusted answer field by field.

    A bad field becomes None (or is left out of the topics) with a warning the
    user can read; the rest of the answer survives.
    """
    data = answer.model_dump() if isinstance(answer, BaseModel) else dict(answer)
    warnings: list[str] = []
    is_certificate = data.get("is_certificate", True)
    if not isinstance(is_certificate, bool):
        warnings.append("The reader could not tell whether this is a certificate.")
        is_certificate = True
    if not is_certificate:
        warnings.append("This does not look like a CE certificate, so no fields were filled in.")
        return Extraction(is_certificate=False), warnings

    approval = data.get("approval") if isinstance(data.get("approval"), Mapping) else {}
    extraction = Extraction(
        is_certificate=True,
        title=_clean_text(data.get("title"), "title", warnings),
        provider=_clean_text(data.get("provider"), "provider", warnings),
        completed_on=_check_date(data.get("completed_on"), today, warnings),
        hours=_check_hours(data.get("hours"), "hours", warnings),
        format=_check_choice(data.get("format"), FORMATS, "format", warnings),
        categories=_check_categories(data.get("categories"), warnings),
        approval=Approval(
            body=_check_choice(approval.get("body"), APPROVAL_BODIES, "approval body", warnings),
            number=_clean_text(approval.get("number"), "approval number", warnings),
        ),
        participant=_clean_text(data.get("participant"), "participant name", warnings),
        confidence=_check_confidence(data.get("confidence")),
    )
    return extraction, warnings
