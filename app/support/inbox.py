"""The feedback inbox: messages newest first, open or handled.

Feedback from a deleted account is hidden like the rest of that account's data (and purged
with it); a visitor's feedback has no account and stays until it is handled and cleared.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select

from app import db
from app.auth.models import User
from app.db import utcnow
from app.feedback.models import STATUSES, Feedback

PER_PAGE = 25


@dataclass(frozen=True)
class Message:
    item: Feedback
    sender: str | None  # the account's address, or the visitor's reply address
    from_account: int | None

    @property
    def preview(self) -> str:
        text = " ".join(self.item.message.split())
        return text if len(text) <= 120 else text[:119] + "…"


@dataclass(frozen=True)
class InboxPage:
    messages: list[Message]
    status: str
    page: int
    pages: int
    counts: dict[str, int]


def _visible() -> Select:
    return (select(Feedback, User.email).outerjoin(User, Feedback.user_id == User.id)
            .where(or_(Feedback.user_id.is_(None), User.deleted_at.is_(None))))


def _message(item: Feedback, email: str | None) -> Message:
    return Message(item=item, sender=email or item.reply_to, from_account=item.user_id)


def counts() -> dict[str, int]:
    query = _visible().with_only_columns(Feedback.status, func.count()).group_by(Feedback.status)
    found = dict(db.session.execute(query).all())
    return {status: found.get(status, 0) for status in STATUSES}


def page_of(status: str, page: int) -> InboxPage:
    """One page of open or handled messages (open ones oldest first: they wait longest)."""
    status = status if status in STATUSES else "open"
    all_counts = counts()
    pages = max(1, -(-all_counts[status] // PER_PAGE))
    page = min(max(1, page), pages)
    order = Feedback.created_at.asc() if status == "open" else Feedback.handled_at.desc()
    rows = db.session.execute(_visible().where(Feedback.status == status).order_by(order, Feedback.id)
                              .offset((page - 1) * PER_PAGE).limit(PER_PAGE)).all()
    return InboxPage([_message(item, email) for item, email in rows], status, page, pages, all_counts)


def get(feedback_id: int) -> Message | None:
    row = db.session.execute(_visible().where(Feedback.id == feedback_id)).first()
    return _message(*row) if row else None


def mark_handled(item: Feedback) -> bool:
    """True if it was open; a second click changes nothing."""
    if item.status == "handled":
        return False
    item.status = "handled"
    item.handled_at = utcnow()
    return True
