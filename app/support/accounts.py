"""What support may know of an account: its address, state and dates, nothing of its contents.

Activities, licenses, certificates and notes are never read here; shortening the grace window
is the account package's own function (app.account.deletion.shorten_purge_window).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from app import db
from app.account.deletion import AccountError, shorten_purge_window
from app.auth.models import User
from app.auth.tokens import normalize_email

__all__ = ["AccountError", "Summary", "find_by_email", "get", "shorten", "summary"]


@dataclass(frozen=True)
class Summary:
    id: int
    email: str
    status: str
    is_support: bool
    created_at: datetime
    last_sign_in_at: datetime | None
    deleted_at: datetime | None
    purge_after: datetime | None
    window_days: int | None  # days from deletion to purge, while deleted

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


def find_by_email(email: str) -> User | None:
    """An exact address only: support looks up the account someone wrote about, it does not browse."""
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def get(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def summary(user: User) -> Summary:
    window = None
    if user.deleted_at is not None and user.purge_after is not None:
        window = (user.purge_after - user.deleted_at).days
    status = "Deleted, waiting for the purge" if user.deleted_at else "Active"
    return Summary(id=user.id, email=user.email, status=status, is_support=bool(user.is_support),
                   created_at=user.created_at, last_sign_in_at=user.last_sign_in_at, deleted_at=user.deleted_at,
                   purge_after=user.purge_after, window_days=window)


def default_window() -> int:
    return current_app.config["PURGE_AFTER_DAYS"]


def shorten(user: User, days: int, reason: str, actor: str) -> User:
    """Purge N days after the deletion, on the user's written request (AccountError if not allowed)."""
    return shorten_purge_window(user.id, days, reason, actor=actor)
