"""CE activities, their split by topic, and the licenses each counts toward."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, Date, ForeignKey, Integer, Numeric, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime, utcnow
from app.licenses.models import License

activity_licenses = Table(
    "activity_licenses", Base.metadata,
    Column("activity_id", ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True),
    Column("license_id", ForeignKey("licenses.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Activity(Base):
    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    provider: Mapped[str | None] = mapped_column(String(200))
    approval_body: Mapped[str | None] = mapped_column(String(64))
    approval_number: Mapped[str | None] = mapped_column(String(64))
    started_on: Mapped[date | None] = mapped_column(Date)
    completed_on: Mapped[date] = mapped_column(Date, index=True)
    hours: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    format: Mapped[str] = mapped_column(String(16))  # live, live_online, self_study
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    topics: Mapped[list[ActivityTopic]] = relationship(
        back_populates="activity", cascade="all, delete-orphan", passive_deletes=True,
        order_by="ActivityTopic.topic")
    licenses: Mapped[list[License]] = relationship(secondary=activity_licenses)


class ActivityTopic(Base):
    """Hours of one activity in one topic (an activity may split, e.g. 2 h ethics + 1 h general)."""

    __tablename__ = "activity_topics"
    __table_args__ = (UniqueConstraint("activity_id", "topic"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    topic: Mapped[str] = mapped_column(String(48))
    hours: Mapped[Decimal] = mapped_column(Numeric(6, 2))

    activity: Mapped[Activity] = relationship(back_populates="topics")
