"""The account and its one-time sign-in tokens."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    time_zone: Mapped[str] = mapped_column(String(64), default="America/New_York")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    age_confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    terms_accepted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    terms_version: Mapped[str] = mapped_column(String(16))
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Bumped at sign-out and deletion: every cookie carrying an older value is refused.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    is_support: Mapped[bool] = mapped_column(Boolean, default=False)
    reminders_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    purge_after: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def get_id(self) -> str:
        """The session holds id and session version, so a version bump ends old sessions."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.deleted_at is None


class SignInToken(Base):
    """One sign-in request: the link's token and the typed code, both stored only as hashes."""

    __tablename__ = "sign_in_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    browser_hash: Mapped[str] = mapped_column(String(64))
    code_attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
