"""Changing the account's address: confirmed by a link mailed to the new one, told to the old one.

The link's token is 32 random bytes; only its SHA-256 is stored (like sign-in tokens), it works
once and expires after EMAIL_CHANGE_MINUTES. Whether the new address already has an account is
never shown on the page: that address gets a mail saying so instead of a link.
"""
from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app import audit, db
from app.account import mails
from app.account.models import EmailChange
from app.auth.models import SignInToken, User
from app.auth.tokens import digest, normalize_email
from app.db import utcnow
from app.mail import absolute_url


def _void_open(user_id: int) -> None:
    db.session.execute(update(EmailChange).where(
        EmailChange.user_id == user_id, EmailChange.used_at.is_(None), EmailChange.voided_at.is_(None))
        .values(voided_at=utcnow()))


def request_change(user: User, new_email: str) -> None:
    """Mails a confirmation link to the new address (or a "this address has an account" note)."""
    new_email = normalize_email(new_email)
    _void_open(user.id)
    audit.record(f"user:{user.id}", "email_change_requested", f"user:{user.id}", user_id=user.id)
    taken = db.session.scalar(select(User.id).where(User.email == new_email)) is not None
    if taken:
        db.session.commit()
        mails.send_later(new_email, "Your CE Tracker address", "mail/email_in_use.txt")
        return
    token = secrets.token_urlsafe(32)
    minutes = current_app.config["EMAIL_CHANGE_MINUTES"]
    now = utcnow()
    db.session.add(EmailChange(user_id=user.id, new_email=new_email, token_hash=digest(token),
                               created_at=now, expires_at=now + timedelta(minutes=minutes)))
    db.session.commit()
    mails.send_later(new_email, "Confirm your new CE Tracker address", "mail/email_change_confirm.txt",
                     name=user.name, old_email=user.email, minutes=minutes,
                     link=absolute_url("account.confirm_email", token=token))


def find_live(token: str) -> EmailChange | None:
    """The pending change behind a link, if it can still be used; looking consumes nothing."""
    row = db.session.scalar(select(EmailChange).where(EmailChange.token_hash == digest(token)))
    if row is None or row.used_at is not None or row.voided_at is not None or utcnow() >= row.expires_at:
        return None
    user = db.session.get(User, row.user_id)
    return row if user is not None and user.deleted_at is None else None


def confirm(token: str) -> User | None:
    """Moves the account to the new address, once; None when the link is dead or the address taken."""
    row = find_live(token)
    if row is None:
        return None
    claimed = db.session.execute(update(EmailChange).where(
        EmailChange.id == row.id, EmailChange.used_at.is_(None), EmailChange.voided_at.is_(None))
        .values(used_at=utcnow()))
    if claimed.rowcount != 1:
        db.session.rollback()
        return None
    user = db.session.get(User, row.user_id)
    old_email = user.email
    user.email = row.new_email
    # Sign-in requests still open for the old address must not sign in to the moved account.
    db.session.execute(update(SignInToken).where(
        SignInToken.email == old_email, SignInToken.used_at.is_(None), SignInToken.voided_at.is_(None))
        .values(voided_at=utcnow()))
    audit.record(f"user:{user.id}", "email_changed", f"user:{user.id}", user_id=user.id,
                 old_email=old_email, new_email=user.email)
    try:
        db.session.commit()
    except IntegrityError:  # the address got an account since the link was sent
        db.session.rollback()
        return None
    mails.send_later(old_email, "Your CE Tracker address was changed", "mail/email_changed_old.txt",
                     name=user.name, old_email=old_email, new_email=user.email)
    return user
