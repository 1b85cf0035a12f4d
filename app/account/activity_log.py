"""The user's own activity log: their audit events in words, with a short name for the device."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select

from app import db
from app.audit import AuditEvent

PER_PAGE = 25

ACTIONS = {
    "account_created": "Account created",
    "sign_in": "Signed in",
    "sign_out": "Signed out",
    "profile_changed": "Account settings changed",
    "email_change_requested": "E-mail change requested",
    "email_changed": "E-mail address changed",
    "export_requested": "Data export requested",
    "export_ready": "Data export ready",
    "export_downloaded": "Data export downloaded",
    "account_deleted": "Account deleted",
    "account_restored": "Account restored",
    "purge_window_shortened": "Deletion window shortened by support",
    "feedback_sent": "Feedback sent",
    "policy_notice_dismissed": "Policy notice dismissed",
    "ai_read": "Certificate read by AI",
    "support_granted": "Support role granted",
}

SIGN_IN_METHODS = {"link": "by e-mailed link", "code": "by code", "welcome": "new account",
                   "restore": "after restoring the account"}

_BROWSERS = [("Edge", r"Edg(?:e|A|iOS)?/(\d+)"), ("Opera", r"OPR/(\d+)"), ("Samsung Internet", r"SamsungBrowser/(\d+)"),
             ("Firefox", r"(?:Firefox|FxiOS)/(\d+)"), ("Chrome", r"(?:Chrome|CriOS)/(\d+)"),
             ("Safari", r"Version/(\d+)[.\d]* (?:Mobile/\S+ )?Safari/")]
_SYSTEMS = [("iPhone", r"iPhone"), ("iPad", r"iPad"), ("Android", r"Android"), ("ChromeOS", r"CrOS"),
            ("Windows", r"Windows"), ("macOS", r"Macintosh|Mac OS X"), ("Linux", r"Linux")]


def describe_device(user_agent: str | None) -> str:
    """"Firefox 128 on Windows" from a full user-agent string; "Unknown device" when it says nothing."""
    if not user_agent:
        return "Unknown device"
    browser = next((f"{name} {m.group(1)}" for name, pattern in _BROWSERS
                    if (m := re.search(pattern, user_agent))), None)
    system = next((name for name, pattern in _SYSTEMS if re.search(pattern, user_agent)), None)
    if browser and system:
        return f"{browser} on {system}"
    if browser or system:
        return browser or system  # type: ignore[return-value]
    first = user_agent.split(" ", 1)[0].split("/", 1)[0]
    return first[:40] if first.isprintable() and first else "Unknown device"


def describe(event: AuditEvent) -> str:
    label = ACTIONS.get(event.action) or event.action.replace("_", " ").capitalize()
    details = event.details or {}
    if event.action == "sign_in" and details.get("method") in SIGN_IN_METHODS:
        label += f" ({SIGN_IN_METHODS[details['method']]})"
    if event.action == "profile_changed" and details.get("fields"):
        label += ": " + ", ".join(str(f).replace("_", " ") for f in details["fields"])
    return label


@dataclass(frozen=True)
class LogPage:
    events: list[AuditEvent]
    page: int
    pages: int
    total: int

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def page_of(user_id: int, page: int) -> LogPage:
    """One page of the user's events, newest first; a page past the end shows the last one."""
    total = db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.user_id == user_id)) or 0
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(1, page), pages)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.user_id == user_id)
                                .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
                                .offset((page - 1) * PER_PAGE).limit(PER_PAGE)).all()
    return LogPage(list(events), page, pages, total)
