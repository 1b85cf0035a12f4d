"""A finished reading as the activity form's starting values, with a mark on every field it filled.

The draft is checked again here (app.parsing.schema.check_answer: hours 0-100, no future date,
known topics and formats) against the user's today, whichever parser produced it and however long
it waited: only checked values reach the form, and the form's own rules still stand between the
form and the database.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.activities.vocabulary import FORMATS, TOPICS
from app.parsing.schema import Extraction, check_answer
from app.reading.store import Reading
from app.templating import hours as hours_text

# Form field -> the confidence key the parsers use for it.
CONFIDENCE_KEYS = {"title": "title", "provider": "provider", "approval_body": "approval_body",
                   "approval_number": "approval_number", "completed_on": "completed_on", "amount": "hours",
                   "format": "format", "topics": "categories"}
APPROVAL_LABELS = {"state board": "State board"}


@dataclass
class Mark:
    """How one pre-filled field was read: shown next to it as "Read, fairly sure" and the like."""

    confidence: float | None

    @property
    def words(self) -> str:
        if self.confidence is None:
            return "Read from the certificate"
        if self.confidence >= 0.85:
            return "Read from the certificate, quite sure"
        if self.confidence >= 0.6:
            return "Read from the certificate, fairly sure: check it"
        return "Read from the certificate, unsure: please check it"

    @property
    def percent(self) -> int | None:
        return None if self.confidence is None else round(self.confidence * 100)

    @property
    def level(self) -> str:
        if self.confidence is None or self.confidence >= 0.85:
            return "high"
        return "medium" if self.confidence >= 0.6 else "low"


@dataclass
class Prefill:
    """The form's data, the marks by form field, and what the banner above the form says."""

    data: dict
    marks: dict[str, Mark]
    warnings: list[str] = field(default_factory=list)
    is_certificate: bool = True
    participant: str | None = None


def extraction_of(reading: Reading, today: date) -> tuple[Extraction, list[str]]:
    """The reading's draft, range-checked again for today; an unusable draft gives no fields."""
    raw = (reading.draft or {}).get("extraction") if isinstance(reading.draft, dict) else None
    if not isinstance(raw, dict):
        return Extraction(), []
    try:
        return check_answer(raw, today=today)
    except (TypeError, ValueError):
        return Extraction(), ["The draft could not be used, so no fields were filled in."]


def prefill(reading: Reading, today: date) -> Prefill:
    extraction, warnings = extraction_of(reading, today)
    data: dict = {}
    values = {
        "title": extraction.title, "provider": extraction.provider,
        "approval_body": APPROVAL_LABELS.get(extraction.approval.body or "", extraction.approval.body),
        "approval_number": extraction.approval.number,
        "completed_on": extraction.completed_on.isoformat() if extraction.completed_on else None,
        "amount": hours_text(extraction.hours) if extraction.hours is not None else None,
        "format": extraction.format if extraction.format in FORMATS else None,
    }
    for name, value in values.items():
        if value:
            data[name] = value
    rows = [{"topic": c.name, "amount": hours_text(c.hours)} for c in extraction.categories if c.name in TOPICS]
    if rows:
        data["topics"] = rows
    data["unit"] = "hours"  # the parsers give hours (CEUs already converted)
    marks = {name: Mark(extraction.confidence.get(CONFIDENCE_KEYS[name]))
             for name in CONFIDENCE_KEYS if name in data}
    return Prefill(data=data, marks=marks, warnings=[*reading.warnings, *warnings],
                   is_certificate=extraction.is_certificate, participant=extraction.participant)


@dataclass
class FormDraft:
    """What the activity form needs from a finished reading: values, marks, and the banner's facts."""

    reading_id: str
    parser: str
    model: str | None
    reason: str | None
    certificate_name: str | None
    prefill: Prefill

    @property
    def data(self) -> dict:
        return self.prefill.data

    @property
    def marks(self) -> dict[str, Mark]:
        return self.prefill.marks


def draft_for_form(user, reading_id: str | None) -> FormDraft | None:
    """The user's finished reading as form values; None when there is none (expired, not yet read,
    someone else's id): the form then opens empty, as it would without a draft."""
    from app.reading import store
    from app.timezones import user_today
    if not reading_id:
        return None
    reading = store.get(user.id, reading_id)
    if reading is None or not reading.finished:
        return None
    return FormDraft(reading_id=reading.id, parser=reading.parser or "local", model=reading.model,
                     reason=reading.reason, certificate_name=reading.certificate_name,
                     prefill=prefill(reading, user_today(user)))
