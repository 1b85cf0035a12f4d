"""The audit trail: who did what to which subject, when, from where. Never holds a secret."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import has_request_context, request
from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app import db
from app.db import Base, UTCDateTime, utcnow

SECRET_KEYS = {"token", "code", "password", "secret", "raw_token"}


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject: Mapped[str | None] = mapped_column(String(128))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


def record(actor: str, action: str, subject: str | None = None, *, user_id: int | None = None,
           commit: bool = False, **details: Any) -> AuditEvent:
    """Adds an audit event to the current session; secrets in details are refused loudly."""
    leaked = SECRET_KEYS & set(details)
    if leaked:
        raise ValueError(f"audit details must not hold secrets: {sorted(leaked)}")
    event = AuditEvent(actor=actor, action=action, subject=subject, user_id=user_id, details=details)
    if has_request_context():
        event.ip = request.remote_addr
        event.user_agent = (request.user_agent.string or "")[:256] or None
    db.session.add(event)
    if commit:
        db.session.commit()
    return event
