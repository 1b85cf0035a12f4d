"""A certificate file as the user sees it; the bytes live in content-addressed storage."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.activities.models import Activity
from app.db import Base, UTCDateTime, utcnow

STATUSES = ("pending", "verified", "failed", "corrupt", "missing")
DAMAGED = ("corrupt", "missing")


class Certificate(Base):
    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id", ondelete="SET NULL"), index=True)
    original_name: Mapped[str] = mapped_column(String(300))
    media_type: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    # pending (received, not yet hashed), verified (in storage), failed (could not be stored),
    # corrupt or missing (the stored bytes no longer match their hash, or are gone): see STATUSES
    status: Mapped[str] = mapped_column(String(16), default="pending")
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    pending_name: Mapped[str | None] = mapped_column(String(120))
    error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # last integrity check that passed

    activity: Mapped[Activity | None] = relationship()

    @property
    def is_pending(self) -> bool:
        return self.status == "pending"

    @property
    def is_verified(self) -> bool:
        return self.status == "verified"

    @property
    def is_damaged(self) -> bool:
        return self.status in DAMAGED
