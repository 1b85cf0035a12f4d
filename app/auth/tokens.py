"""Sign-in tokens: the mailed link and the typed code.

Only SHA-256 digests reach the database. The code is bound to the browser that asked for it:
its digest is keyed by a random secret kept in that browser's session, so neither a stolen
database row nor another browser can use it.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from app import db
from app.auth.models import SignInToken, User
from app.db import utcnow


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def code_digest(browser_secret: str, code: str) -> str:
    return hmac.new(browser_secret.encode(), code.encode(), hashlib.sha256).hexdigest()


def normalize_email(email: str) -> str:
    return email.strip().lower()


@dataclass(frozen=True)
class IssuedSignIn:
    """What the mail needs (the raw secrets) and what the browser keeps (its binding secret)."""

    token: str
    code: str
    browser_secret: str


def issue(email: str, *, minutes: int) -> IssuedSignIn:
    """Creates a sign-in request for an address, voiding every older unused one."""
    email = normalize_email(email)
    now = utcnow()
    _void_open_requests(email)
    token = secrets.token_urlsafe(32)  # 32 random bytes
    code = f"{secrets.randbelow(1_000_000):06d}"
    browser_secret = secrets.token_urlsafe(32)
    user = db.session.scalar(select(User).where(User.email == email))
    db.session.add(SignInToken(
        email=email, user_id=user.id if user else None, token_hash=digest(token),
        code_hash=code_digest(browser_secret, code), browser_hash=digest(browser_secret),
        created_at=now, expires_at=now + timedelta(minutes=minutes),
    ))
    db.session.commit()
    return IssuedSignIn(token=token, code=code, browser_secret=browser_secret)


def _void_open_requests(email: str) -> None:
    db.session.execute(
        update(SignInToken)
        .where(SignInToken.email == email, SignInToken.used_at.is_(None), SignInToken.voided_at.is_(None))
        .values(voided_at=utcnow())
    )


def find_live_link(token: str) -> SignInToken | None:
    """The request behind a link, if it can still sign in; looking consumes nothing."""
    row = db.session.scalar(select(SignInToken).where(SignInToken.token_hash == digest(token)))
    return row if row is not None and _is_live(row) else None


def _is_live(row: SignInToken) -> bool:
    return row.used_at is None and row.voided_at is None and utcnow() < row.expires_at


def _consume(row: SignInToken) -> str | None:
    """Marks a request used exactly once, even under two simultaneous posts."""
    result = db.session.execute(
        update(SignInToken)
        .where(SignInToken.id == row.id, SignInToken.used_at.is_(None), SignInToken.voided_at.is_(None))
        .values(used_at=utcnow())
    )
    if result.rowcount != 1:
        db.session.rollback()
        return None
    _void_open_requests(row.email)
    db.session.commit()
    return row.email


def consume_link(token: str) -> str | None:
    """Signs in by link: the verified address, or None when the link is used, void or expired."""
    row = find_live_link(token)
    return _consume(row) if row else None


@dataclass(frozen=True)
class CodeResult:
    email: str | None
    tries_left: int


def consume_code(browser_secret: str | None, code: str, *, max_tries: int) -> CodeResult:
    """Signs in by code, only in the browser that asked; the request is voided after max_tries."""
    if not browser_secret:
        return CodeResult(None, 0)
    row = db.session.scalar(select(SignInToken).where(SignInToken.browser_hash == digest(browser_secret)))
    if row is None or not _is_live(row):
        return CodeResult(None, 0)
    if hmac.compare_digest(row.code_hash, code_digest(browser_secret, code.strip())):
        return CodeResult(_consume(row), max_tries - row.code_attempts)
    row.code_attempts += 1
    if row.code_attempts >= max_tries:
        row.voided_at = utcnow()
    db.session.commit()
    return CodeResult(None, max(0, max_tries - row.code_attempts))


def delete_spent(now: datetime | None = None) -> int:
    """Deletes sign-in requests that can no longer be used (expired a day ago or more): they hold
    an address, and a visitor who never signed up must not be kept forever. Returns how many."""
    cutoff = (now or utcnow()) - timedelta(days=1)
    result = db.session.execute(delete(SignInToken).where(SignInToken.expires_at < cutoff))
    db.session.commit()
    return result.rowcount
