"""Starting and ending sessions: one signed cookie, cleared at both ends, versioned per user."""
from __future__ import annotations

from flask import session
from flask_login import login_user, logout_user
from sqlalchemy import select

from app import audit, db
from app.auth.models import User
from app.db import utcnow
from app.extensions import login_manager


@login_manager.user_loader
def load_user(user_key: str) -> User | None:
    """Refuses a cookie whose session version is old or whose account is deleted."""
    try:
        user_id, version = (int(part) for part in user_key.split(":"))
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    if user is None or user.session_version != version or user.deleted_at is not None:
        return None
    return user


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def start_session(user: User, method: str) -> None:
    """Clears whatever the browser carried before, then signs the user in."""
    session.clear()
    user.last_sign_in_at = utcnow()
    login_user(user, remember=False)
    session.permanent = True
    audit.record(f"user:{user.id}", "sign_in", f"user:{user.id}", user_id=user.id, method=method)
    db.session.commit()


def end_every_session(user: User) -> None:
    """Bumps the session version: every cookie of this user, in any browser, stops working."""
    user.session_version += 1
    db.session.commit()


def sign_out(user: User) -> None:
    audit.record(f"user:{user.id}", "sign_out", f"user:{user.id}", user_id=user.id)
    end_every_session(user)
    logout_user()
    session.clear()
