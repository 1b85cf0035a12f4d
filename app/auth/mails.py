"""The sign-in mail. The link is built from BASE_URL, never from a request's Host header."""
from __future__ import annotations

from flask import current_app, render_template

from app import mail


def sign_in_link(token: str) -> str:
    return mail.absolute_url("auth.confirm", token=token)


def send_sign_in(email: str, token: str, code: str) -> None:
    link = sign_in_link(token)
    minutes = current_app.config["SIGN_IN_TOKEN_MINUTES"]
    text = render_template("mail/sign_in.txt", link=link, code=code, minutes=minutes)
    mail.send(email, "Your CE Tracker sign-in link", text)
