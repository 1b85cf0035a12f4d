"""Mail jobs."""
from __future__ import annotations

from jobs import with_app


@with_app
def send_sign_in(email: str, token: str, code: str) -> None:
    from app.auth.mails import send_sign_in as send
    send(email, token, code)
