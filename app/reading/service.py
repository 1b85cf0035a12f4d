"""Starting, sending and finishing a reading; the job's body (jobs/reading.py only calls `run`).

Order of events: the user starts a reading (pasted text or a verified certificate), sees the
plan (who reads, what is sent, flagged client information), confirms, and a job reads it. The
job records one audit event per read (never the text), clears the text, and keeps the checked
draft until the user saves the activity or the reading expires.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import current_app
from sqlalchemy import update

from app import audit, db, tasks
from app.certificates import storage
from app.certificates.models import Certificate
from app.parsing.ai import AIReadError, read_with_claude
from app.parsing.local import parse_text
from app.parsing.schema import Draft, check_answer
from app.reading import limits, store
from app.reading.plan import Plan, decide, pdf_text
from app.reading.store import Reading
from app.timezones import user_today

MAX_TEXT = 20_000  # a certificate is a page; more is not a certificate (and is not sent)
CLIENT_INFORMATION_NOT_CONFIRMED = (
    "Remove the marked text, or tick the box to confirm it is not client information, before it is sent.")
FILE_NOT_CONFIRMED = "Tick the box to confirm the file shows no client information before it is sent."
CONFIRMED_ONLY = "The certificate was not sent, because its client information was not confirmed."


class CannotRead(Exception):
    """The certificate cannot be read yet (or at all); `user_message` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.user_message = message


class ReadingGone(Exception):
    user_message = "This reading has expired. Please start it again."


def _settings() -> dict:
    config = current_app.config
    return {"api_key": config.get("ANTHROPIC_API_KEY"), "model": config.get("ANTHROPIC_MODEL")}


def plan_for(user, reading: Reading, today: date | None = None) -> Plan:
    today = today or user_today(user)
    return decide(reading.text, media_type=reading.media_type, has_file=reading.certificate_id is not None,
                  reads_left=limits.left(user.id, today), per_day=limits.per_day(), **_settings())


def plan_for_paste(user) -> Plan:
    """The plan for any readable pasted text (the start page says it before anything is pasted)."""
    return decide("pasted certificate text", media_type=None, has_file=False,
                  reads_left=reads_left(user), per_day=limits.per_day(), **_settings())


def reads_left(user) -> int:
    return limits.left(user.id, user_today(user))


def start_from_text(user, text: str) -> Reading:
    return store.create(user.id, "paste", (text or "")[:MAX_TEXT])


def start_from_certificate(user, certificate: Certificate) -> Reading:
    """A reading of a verified certificate: its PDF text now (shown before anything is sent)."""
    if not certificate.is_verified:
        raise CannotRead("This certificate can be read once it is verified. Try again in a moment.")
    text = ""
    if certificate.media_type == "application/pdf":
        text = pdf_text(_verified_bytes(certificate))[:MAX_TEXT]
    return store.create(user.id, "certificate", text, certificate_id=certificate.id,
                        certificate_name=certificate.original_name, media_type=certificate.media_type)


def send(user, reading: Reading, text: str | None, confirmed: bool) -> str | None:
    """Starts the read with the text as the user left it; returns the problem instead when the
    plan needs a confirmation that was not given (nothing is queued then)."""
    if reading.state != "review":
        return None
    if text is not None:
        reading.text = text[:MAX_TEXT]
    plan = plan_for(user, reading)
    if plan.needs_confirmation and not confirmed:
        store.save(reading)
        return CLIENT_INFORMATION_NOT_CONFIRMED if plan.flags else FILE_NOT_CONFIRMED
    reading.client_information_confirmed = bool(confirmed and plan.needs_confirmation)
    record = tasks.start(user.id, "reading", "jobs.reading.read", user.id, reading.id)
    reading.state, reading.job_id = "reading", record.id
    store.save(reading)
    return None


def job_of(reading: Reading):
    return tasks.owned_record(reading.job_id, reading.user_id) if reading.job_id else None


# --- the job ------------------------------------------------------------------------------------

def _verified_bytes(certificate: Certificate) -> bytes:
    """The stored file, checked against its hash; a damaged or lost one is reported as on download."""
    from app.certificates.service import DAMAGE_MESSAGES, report_damage_of
    try:
        return storage.read_verified(certificate.sha256)
    except (storage.BlobMissing, storage.BlobCorrupt) as problem:
        kind = "missing" if isinstance(problem, storage.BlobMissing) else "corrupt"
        report_damage_of(certificate, kind, "reading")
        raise CannotRead(DAMAGE_MESSAGES[kind]) from problem


def _certificate_file(reading: Reading) -> bytes | None:
    if reading.certificate_id is None:
        return None
    certificate = db.session.get(Certificate, reading.certificate_id)
    if certificate is None or certificate.user_id != reading.user_id or not certificate.sha256:
        return None
    return _verified_bytes(certificate)


def _read(user, reading: Reading, plan: Plan, today: date,
          progress: Callable[[str], None]) -> tuple[Draft, str | None, str | None]:
    """The draft; when the local parser read it, why; what was sent to Anthropic (None: nothing)."""
    reason = plan.reason
    if plan.reader == "ai" and plan.flags and not reading.client_information_confirmed:
        plan, reason = Plan("local"), CONFIRMED_ONLY
    if plan.reader == "ai" and not limits.take(user.id, today):
        plan = plan_for(user, reading, today)  # the last read of the day went to another request
        reason = plan.reason
    if plan.reader == "ai":
        progress("Sent to Anthropic; waiting for its answer")
        config = current_app.config
        try:
            draft = read_with_claude(
                text=reading.text if plan.sends == "text" else None,
                file_bytes=_certificate_file(reading) if plan.sends == "file" else None,
                media_type=reading.media_type, api_key=config["ANTHROPIC_API_KEY"], model=plan.model,
                timeout=config["ANTHROPIC_TIMEOUT"], max_retries=config["ANTHROPIC_MAX_RETRIES"],
                http_client=config.get("ANTHROPIC_HTTP_CLIENT"), today=today)
            return draft, None, plan.sends
        except AIReadError as err:
            reason = f"{err.message} The local parser read it on our server instead."
            progress("Reading it with the local parser")
            return parse_text(reading.text, today=today), reason, plan.sends
        except (ValueError, CannotRead):  # the certificate file went away (or was damaged) since the review
            reason = "The certificate file is no longer there, so nothing was sent."
            return parse_text(reading.text, today=today), reason, None
    progress("Reading it with the local parser")
    return parse_text(reading.text, today=today), reason, None


def run(user_id: int, reading_id: str, progress: Callable[[str], None]) -> str:
    """The job: read, check, remember the draft, audit; returns the URL that opens the form."""
    from app.auth.models import User
    user = db.session.get(User, user_id)
    reading = store.get(user_id, reading_id)
    if user is None or reading is None:
        raise ReadingGone()
    if reading.state == "done":  # a retried job: the draft is already there
        return prefilled_form_url(reading.id)
    today = user_today(user)
    plan = plan_for(user, reading, today)
    progress("Reading the certificate")
    draft, reason, sent = _read(user, reading, plan, today, progress)
    progress("Checking what was read")
    extraction, warnings = check_answer(draft.extraction, today=today)
    reading.draft = Draft(extraction=extraction, parser=draft.parser).model_dump(mode="json")
    reading.warnings = [*reading.warnings, *draft.warnings, *warnings]
    reading.parser, reading.reason = draft.parser, reason
    reading.model = plan.model if draft.parser == "ai" else None
    reading.state, reading.text = "done", ""
    store.save(reading)
    filled = sorted(name for name, value in extraction.model_dump(exclude={"confidence", "is_certificate"}).items()
                    if value not in (None, [], {}, {"body": None, "number": None}))
    audit.record(f"user:{user_id}", "certificate_read",
                 f"certificate:{reading.certificate_id}" if reading.certificate_id else None, user_id=user_id,
                 source=reading.source, parser=draft.parser, model=reading.model,
                 sent_to="Anthropic" if sent else None, sent=sent,
                 client_information_confirmed=reading.client_information_confirmed,
                 local_because=reason, fields_filled=filled)
    db.session.commit()
    return prefilled_form_url(reading.id)


def prefilled_form_url(reading_id: str) -> str:
    return current_app.url_map.bind("localhost").build("activities.new", {"draft": reading_id})


# --- after the user saved the activity --------------------------------------------------------------

def saved_as(user, reading_id: str | None, activity) -> None:
    """The draft became an activity: attach the certificate it was read from, and forget the draft."""
    reading = store.get(user.id, reading_id or "")
    if reading is None:
        return
    if reading.certificate_id:
        db.session.execute(update(Certificate).where(
            Certificate.id == reading.certificate_id, Certificate.user_id == user.id,
            Certificate.activity_id.is_(None)).values(activity_id=activity.id))
        db.session.commit()
    store.forget(user.id, reading.id)
