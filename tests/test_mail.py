"""Outgoing mail (app/mail.py): SMTP to a real server, and the console backend for development."""
from __future__ import annotations

import email
from email.header import decode_header, make_header

import pytest

from app import mail
from tests.mailbox import body


def test_smtp_backend_delivers_a_real_message(app, mailbox):
    with app.app_context():
        sent = mail.send("rita@example.com", "Your transcript — ready", "Line one\nLigne deux é",
                         html="<p>Line one</p>")
    received = mailbox.wait_for("rita@example.com")
    assert str(make_header(decode_header(received["Subject"]))) == "Your transcript — ready"
    assert received["From"] == app.config["MAIL_FROM"] and received["To"] == "rita@example.com"
    assert received["Message-ID"] == sent["Message-ID"]
    assert body(received).splitlines() == ["Line one", "Ligne deux é"]
    html = [part for part in received.walk() if part.get_content_type() == "text/html"]
    assert html and "<p>Line one</p>" in html[0].get_payload(decode=True).decode()


def test_console_backend_prints_and_keeps_an_eml(app, monkeypatch, tmp_path, capsys):
    folder = tmp_path / "mail"
    monkeypatch.setitem(app.config, "MAIL_URL", "console://")
    monkeypatch.setitem(app.config, "MAIL_DIR", folder)
    with app.app_context():
        mail.send("dev@example.com", "Sign in", "Open https://cetracker.test/sign-in/abc")
    printed = capsys.readouterr().out
    assert "mail to dev@example.com: Sign in" in printed and "https://cetracker.test/sign-in/abc" in printed
    files = list(folder.glob("*.eml"))
    assert len(files) == 1 and str(files[0]) in printed
    kept = email.message_from_bytes(files[0].read_bytes())
    assert kept["To"] == "dev@example.com" and kept["Subject"] == "Sign in"
    assert "https://cetracker.test/sign-in/abc" in body(kept)


def test_an_unknown_backend_is_refused(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_URL", "carrier-pigeon://loft")
    with app.app_context(), pytest.raises(ValueError, match="carrier-pigeon"):
        mail.send("a@example.com", "x", "y")
