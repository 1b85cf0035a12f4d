"""Account states that sign-in must know about: deleted (hidden, restorable) and restored."""
from __future__ import annotations

from app import audit, db
from app.auth.models import User


def restore_account(user: User) -> None:
    """Clears the deletion mark: every row was only hidden, so everything comes back."""
    user.deleted_at = None
    user.purge_after = None
    audit.record(f"user:{user.id}", "account_restored", f"user:{user.id}", user_id=user.id)
    db.session.commit()
