"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives for the tests to read."""
from __future__ import annotations

import email
import re
import socket
import time
from email.message import Message

from aiosmtpd.controller import Controller


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def clear(self) -> None:
        self.messages.clear()

    def wait_for(self, to: str, timeout: float = 10.0) -> Message:
        """The newest message to an address, waiting for a worker to send it."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            for message in reversed(self.messages):
                if to.lower() in message["To"].lower():
                    return message
            time.sleep(0.05)
        raise AssertionError(f"no mail to {to} within {timeout} s")

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if address.lower() in m["To"].lower()]


def body(message: Message) -> str:
    part = message.get_body(("plain",)) if hasattr(message, "get_body") else None
    if part is None:
        for item in message.walk():
            if item.get_content_type() == "text/plain":
                part = item
                break
    payload = part.get_payload(decode=True) if part is not None else b""
    return payload.decode(part.get_content_charset() or "utf-8") if part is not None else ""


def sign_in_link(message: Message) -> str:
    return re.search(r"https?://\S+/sign-in/[A-Za-z0-9_-]+", body(message)).group(0)


def sign_in_code(message: Message) -> str:
    return re.search(r"^\s*(\d{6})\s*$", body(message), re.M).group(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_smtp() -> tuple[Controller, Mailbox]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, mailbox
