"""A user's licenses and their renewal cycles."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime, utcnow


class License(Base):
    """One license or certification, with the requirement rule set it renews under."""

    __tablename__ = "licenses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    profession: Mapped[str] = mapped_column(String(120))
    credential: Mapped[str | None] = mapped_column(String(32))
    issuing_body: Mapped[str] = mapped_column(String(120))
    license_number: Mapped[str | None] = mapped_column(String(64))
    # The catalog rule set it started from (None for a custom one) and the rules in force,
    # which the user may have adjusted: a plain dict, see app/licenses/rules.py.
    rule_set_slug: Mapped[str | None] = mapped_column(String(120))
    rules: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    licensed_on: Mapped[date | None] = mapped_column(Date)
    # Requirement keys whose condition applies to this licensee (e.g. "supervision" for supervisors).
    applicable_conditions: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    cycles: Mapped[list[LicenseCycle]] = relationship(
        back_populates="license", cascade="all, delete-orphan", order_by="LicenseCycle.cycle_start",
        passive_deletes=True)


class LicenseCycle(Base):
    """One renewal period of a license; recording the renewal closes it and opens the next."""

    __tablename__ = "license_cycles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    license_id: Mapped[int] = mapped_column(ForeignKey("licenses.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    cycle_start: Mapped[date] = mapped_column(Date)
    renewal_deadline: Mapped[date] = mapped_column(Date)
    cycle_number: Mapped[int] = mapped_column(Integer, default=1)
    carried_in_hours: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal("0"))
    renewed_on: Mapped[date | None] = mapped_column(Date)
    # Set explicitly: a license added mid-career is not on its first renewal.
    is_first_renewal: Mapped[bool] = mapped_column(Boolean, default=False)
    # Requirement key -> the cycle number in which it was last met ("once", "every Nth cycle").
    last_met_cycle: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)

    license: Mapped[License] = relationship(back_populates="cycles")

    @property
    def is_open(self) -> bool:
        return self.renewed_on is None
