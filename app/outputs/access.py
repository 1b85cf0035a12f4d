"""The signed-in user's own licenses and cycles, or None (the routes answer 404), and secret tokens."""
from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import db
from app.licenses.models import License, LicenseCycle
from app.licenses.standing import current_cycle


def new_token() -> tuple[str, str]:
    """32 random bytes for a URL, and the SHA-256 that is all the database keeps of them."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def owned_license(user_id: int, license_id: int) -> License | None:
    return db.session.scalar(select(License).where(License.id == license_id, License.user_id == user_id)
                             .options(selectinload(License.cycles)))


def owned_cycle(user_id: int, license_id: int, cycle_id: int | None) -> tuple[License, LicenseCycle] | None:
    """The license and the chosen cycle (the current one when none is named), both the user's."""
    license = owned_license(user_id, license_id)
    if license is None:
        return None
    if cycle_id is None:
        cycle = current_cycle(license)
    else:
        cycle = next((c for c in license.cycles if c.id == cycle_id), None)
    return (license, cycle) if cycle is not None else None


def licenses_with_cycles(user_id: int) -> list[License]:
    """Every license of the user with its cycles, for the outputs page and the calendar."""
    return list(db.session.scalars(select(License).where(License.user_id == user_id)
                                   .options(selectinload(License.cycles)).order_by(License.id)))
