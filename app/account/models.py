"""Rows the account package keeps: pending e-mail changes, data exports, unfinished purges."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class EmailChange(Base):
    """A request to move the account to a new address; only the link token's SHA-256 is stored."""

    __tablename__ = "email_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    new_email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DataExport(Base):
    """One ZIP of everything a user has; the file lives under INSTANCE_DIR/exports/<id>.zip."""

    __tablename__ = "data_exports"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    job_record_id: Mapped[str | None] = mapped_column(ForeignKey("job_records.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(16), default="queued")  # queued, ready, failed, expired
    size_bytes: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    file_deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AccountPurge(Base):
    """What is left to clean outside the database after an account's rows were deleted.

    Written in the same transaction that deletes the rows, removed once every blob, export file
    and Redis key is gone: a purge that crashes after its commit is finished by the next run.
    Holds content hashes, file and key names (a key name may hold the address: the sign-in limit
    per address), and only until it is done.
    """

    __tablename__ = "account_purges"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(Integer, index=True)  # not a foreign key: the user is gone
    blobs: Mapped[list[str]] = mapped_column(JSON, default=list)
    pending_uploads: Mapped[list[str]] = mapped_column(JSON, default=list)  # staged, not yet hashed
    export_files: Mapped[list[str]] = mapped_column(JSON, default=list)
    redis_patterns: Mapped[list[str]] = mapped_column(JSON, default=list)
    redis_keys: Mapped[list[str]] = mapped_column(JSON, default=list)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
