"""Read-only share links to one cycle's transcript: made with an expiry, revocable, every view audited."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from app import audit, db
from app.db import utcnow
from app.licenses.models import License, LicenseCycle
from app.outputs.access import new_token, token_hash
from app.outputs.models import ShareLink

EXPIRY_CHOICES = ((7, "7 days"), (30, "30 days"), (90, "90 days"))


def create(license: License, cycle: LicenseCycle, days: int, note: str | None = None,
           now: datetime | None = None) -> tuple[ShareLink, str]:
    """A new link; returns it with the raw token, which is shown once and never stored."""
    now = now or utcnow()
    token, digest = new_token()
    link = ShareLink(user_id=license.user_id, license_id=license.id, cycle_id=cycle.id, token_hash=digest,
                     note=(note or "").strip() or None, created_at=now, expires_at=now + timedelta(days=days))
    db.session.add(link)
    db.session.flush()
    audit.record(f"user:{license.user_id}", "share_link_created", f"share:{link.id}", user_id=license.user_id,
                 license_id=license.id, cycle_id=cycle.id, days=days)
    db.session.commit()
    return link, token


def links_of(user_id: int, license_id: int) -> list[ShareLink]:
    return list(db.session.scalars(select(ShareLink).where(
        ShareLink.user_id == user_id, ShareLink.license_id == license_id).order_by(ShareLink.created_at.desc())))


def owned_link(user_id: int, link_id: int) -> ShareLink | None:
    return db.session.scalar(select(ShareLink).where(ShareLink.id == link_id, ShareLink.user_id == user_id))


def revoke(link: ShareLink, now: datetime | None = None) -> None:
    if link.revoked_at is None:
        link.revoked_at = now or utcnow()
        audit.record(f"user:{link.user_id}", "share_link_revoked", f"share:{link.id}", user_id=link.user_id)
    db.session.commit()


def find_live(token: str, now: datetime | None = None) -> ShareLink | None:
    """The link a token opens, if it is neither revoked nor expired (nor its owner's account deleted)."""
    from app.auth.models import User
    now = now or utcnow()
    link = db.session.scalar(select(ShareLink).where(ShareLink.token_hash == token_hash(token)))
    if link is None or not link.is_live(now):
        return None
    owner = db.session.get(User, link.user_id)
    return link if owner is not None and owner.deleted_at is None else None


def record_view(link: ShareLink, what: str, now: datetime | None = None) -> None:
    """Every view is written to the owner's activity log (IP and browser included) and counted."""
    now = now or utcnow()
    db.session.execute(update(ShareLink).where(ShareLink.id == link.id)
                       .values(view_count=ShareLink.view_count + 1, last_viewed_at=now))
    audit.record(f"share:{link.id}", "share_link_viewed", f"share:{link.id}", user_id=link.user_id, what=what)
    db.session.commit()
