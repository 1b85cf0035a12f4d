"""Outgoing mail: SMTP (smtp://, smtps://, starttls://) or the console backend for development.

The console backend prints the message and keeps a copy under instance/mail/, so a newcomer can
open the sign-in link without any mail server.
"""
from __future__ import annotations

import smtplib
import ssl
import sys
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app


def build_message(to: str, subject: str, text: str, html: str | None, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="bestcetracker.com")
    message["Date"] = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def send(to: str, subject: str, text: str, html: str | None = None) -> EmailMessage:
    """Sends one message through the configured backend and returns it."""
    config = current_app.config
    message = build_message(to, subject, text, html, config["MAIL_FROM"])
    url = urlsplit(config["MAIL_URL"])
    if url.scheme == "console":
        _to_console(message, Path(config["MAIL_DIR"]))
    elif url.scheme in {"smtp", "smtps", "starttls"}:
        _to_smtp(message, url)
    else:
        raise ValueError(f"unknown MAIL_URL scheme {url.scheme!r}")
    return message


def _to_console(message: EmailMessage, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    path = folder / f"{stamp}.eml"
    path.write_bytes(bytes(message))
    body = message.get_body(("plain",))
    text = body.get_content() if body else ""
    print(f"\n----- mail to {message['To']}: {message['Subject']} (saved as {path})\n{text}\n-----",
          file=sys.stdout, flush=True)


def _to_smtp(message: EmailMessage, url) -> None:
    host, port = url.hostname or "127.0.0.1", url.port
    user = unquote(url.username) if url.username else None
    password = unquote(url.password) if url.password else None
    timeout = 20
    if url.scheme == "smtps":
        client = smtplib.SMTP_SSL(host, port or 465, timeout=timeout, context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(host, port or (587 if url.scheme == "starttls" else 25), timeout=timeout)
    with client:
        if url.scheme == "starttls":
            client.starttls(context=ssl.create_default_context())
        if user:
            client.login(user, password or "")
        client.send_message(message)


def absolute_url(endpoint: str, **values) -> str:
    """A link for a mail or a calendar, built from BASE_URL, never from a request's Host header."""
    return current_app.config["BASE_URL"] + current_app.url_map.bind("localhost").build(endpoint, values)
