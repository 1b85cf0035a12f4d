"""A reading in progress, kept in Redis under the user's own key for a day, then gone.

Why Redis and not a table: a reading is short-lived working state (the text waiting to be read,
then the draft waiting to be confirmed). Under `user:<id>:reading:<id>` it is found only with
the owner's id (another user's id finds nothing, hence 404), it expires by itself, and the
account purge removes it with the user's other keys (see app.account.data).
"""
from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from app import user_keys
from app.extensions import redis

KEEP_SECONDS = 24 * 3600  # an unconfirmed draft is forgotten after a day
SOURCES = ("paste", "certificate")
STATES = ("review", "reading", "done")


@dataclass
class Reading:
    """One "read it for me": its source, the text to read, and (when done) the checked draft."""

    id: str
    user_id: int
    source: str
    text: str = ""
    certificate_id: int | None = None
    certificate_name: str | None = None
    media_type: str | None = None
    state: str = "review"
    job_id: str | None = None
    client_information_confirmed: bool = False
    parser: str | None = None          # "ai" or "local", once read
    model: str | None = None           # the AI model that answered
    reason: str | None = None          # why the local parser read it
    draft: dict | None = None          # app.parsing.schema.Draft as JSON, already range-checked
    warnings: list[str] = field(default_factory=list)
    created_at: str = ""

    @property
    def finished(self) -> bool:
        return self.state == "done"


def _key(user_id: int, reading_id: str) -> str:
    return user_keys.user_key(user_id, "reading", reading_id)


def _valid_id(reading_id: str) -> bool:
    return 8 <= len(reading_id) <= 64 and all(ch.isalnum() or ch in "-_" for ch in reading_id)


def create(user_id: int, source: str, text: str = "", **values) -> Reading:
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    reading = Reading(id=secrets.token_urlsafe(12), user_id=user_id, source=source, text=text,
                      created_at=datetime.now(UTC).isoformat(), **values)
    save(reading)
    return reading


def save(reading: Reading) -> None:
    redis().set(_key(reading.user_id, reading.id), json.dumps(asdict(reading)), ex=KEEP_SECONDS)


def get(user_id: int, reading_id: str) -> Reading | None:
    """The user's reading, or None (expired, never existed, or someone else's)."""
    if not _valid_id(reading_id or ""):
        return None
    raw = redis().get(_key(user_id, reading_id))
    if raw is None:
        return None
    values = json.loads(raw)
    if values.get("user_id") != user_id:
        return None
    known = set(Reading.__dataclass_fields__)
    return Reading(**{k: v for k, v in values.items() if k in known})


def forget(user_id: int, reading_id: str) -> None:
    redis().delete(_key(user_id, reading_id))
