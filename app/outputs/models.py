"""Rows of the renewal outputs: share links, calendar feeds, reminders sent, audit packets.

Secrets (share and calendar tokens) are stored only as their SHA-256: the raw token is shown to
the user once, when it is made, and never again.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class ShareLink(Base):
    """A read-only link to one cycle's transcript, for an employer or a board, until it expires."""

    __tablename__ = "share_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    license_id: Mapped[int] = mapped_column(ForeignKey("licenses.id", ondelete="CASCADE"), index=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("license_cycles.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    note: Mapped[str | None] = mapped_column(String(120))  # who it is for, in the user's words
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    view_count: Mapped[int] = mapped_column(Integer, default=0)
    last_viewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def is_live(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now


class CalendarFeed(Base):
    """A private calendar subscription URL; regenerating revokes the old one."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ReminderSent(Base):
    """One reminder of one deadline at one threshold: the unique row makes it go only once."""

    __tablename__ = "reminders_sent"
    __table_args__ = (UniqueConstraint("cycle_id", "deadline", "days_before"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("license_cycles.id", ondelete="CASCADE"))
    deadline: Mapped[date] = mapped_column(Date)
    days_before: Mapped[int] = mapped_column(Integer)  # the threshold: 90, 60, 30, 14 or 7
    days_left: Mapped[int] = mapped_column(Integer)  # on the day it was decided
    missing: Mapped[list[str]] = mapped_column(JSON, default=list)  # "2 h of ethics", ...
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuditPacket(Base):
    """One audit packet (a PDF and a ZIP) of a cycle, built by a job, kept for a while."""

    __tablename__ = "audit_packets"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    license_id: Mapped[int] = mapped_column(ForeignKey("licenses.id", ondelete="CASCADE"), index=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("license_cycles.id", ondelete="CASCADE"))
    job_record_id: Mapped[str | None] = mapped_column(ForeignKey("job_records.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(16), default="queued")  # queued, ready, failed, expired
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # counts, missing proof
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
