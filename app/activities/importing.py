"""The CSV import as a process: the parsed upload waits in Redis (per user, one hour) while the
person maps columns and reviews the rows; nothing is saved until they confirm.

The key holds the user's id, so another account's upload id finds nothing (404), and the
session cookie stays small: it never carries the file.
"""
from __future__ import annotations

import json
import re
import secrets
from dataclasses import asdict, dataclass

from sqlalchemy import select

from app import db, user_keys
from app.activities.csv_import import PreviewRow, Upload, check_upload, duplicate_key
from app.activities.models import Activity
from app.activities.service import defaults_among, import_activities, license_name, user_licenses
from app.extensions import redis
from app.timezones import user_today

TTL_SECONDS = 3600
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _key(user_id: int, token: str) -> str:
    return user_keys.prefixed(f"activities:import:{user_id}:{token}")


user_keys.register("activities.import", "CSV uploads waiting for review (the parsed file, one hour)",
                   patterns=lambda account: [
                       user_keys.glob_escape(user_keys.prefix()) + f"activities:import:{account.id}:*"])


def stage(user_id: int, upload: Upload) -> str:
    """Keeps the parsed file for an hour; returns the random id the next pages use."""
    token = secrets.token_urlsafe(18)
    redis().set(_key(user_id, token), json.dumps(asdict(upload)), ex=TTL_SECONDS)
    return token


def staged(user_id: int, token: str) -> Upload | None:
    """The user's waiting upload, or None (expired, confirmed, discarded, or not theirs)."""
    if not TOKEN.match(token or ""):
        return None
    raw = redis().get(_key(user_id, token))
    return Upload(**json.loads(raw)) if raw else None


def discard(user_id: int, token: str) -> bool:
    """Forgets the upload; True if it was still there (so only one confirmation can save it)."""
    return bool(TOKEN.match(token or "")) and redis().delete(_key(user_id, token)) == 1


@dataclass
class Review:
    rows: list[PreviewRow]

    @property
    def ready(self) -> list[PreviewRow]:
        return [row for row in self.rows if row.data is not None]

    @property
    def refused(self) -> list[PreviewRow]:
        return [row for row in self.rows if row.data is None]


def review(user, upload: Upload, mapping: dict[str, int | None], default_format: str) -> Review:
    """Every row checked against the rules, the user's licenses and what is already logged."""
    licenses = user_licenses(user.id)
    names = [(lic.id, sorted({" ".join(n.casefold().split()) for n in
                              (license_name(lic), lic.credential, lic.license_number, lic.profession) if n}))
             for lic in licenses]
    existing = {duplicate_key(title, completed_on, hours) for title, completed_on, hours in db.session.execute(
        select(Activity.title, Activity.completed_on, Activity.hours).where(Activity.user_id == user.id))}
    rows = check_upload(upload, mapping, default_format=default_format, licenses=names, existing=existing,
                        today=user_today(user))
    by_id = {lic.id: license_name(lic) for lic in licenses}
    for row in rows:
        if row.data is not None:
            ids = (row.data.license_ids if row.data.license_ids is not None
                   else defaults_among(licenses, row.data.completed_on))
            row.license_names = [by_id[i] for i in ids if i in by_id]
    return Review(rows)


def confirm(user, token: str, mapping: dict[str, int | None], default_format: str) -> Review | None:
    """Saves the rows that passed; None when the upload is gone (already imported or expired)."""
    upload = staged(user.id, token)
    if upload is None:
        return None
    result = review(user, upload, mapping, default_format)
    if not discard(user.id, token):
        return None
    import_activities(user, [row.data for row in result.ready])
    return result
