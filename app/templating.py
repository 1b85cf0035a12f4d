"""Template globals and filters: navigation state, dates in the user's zone, hours."""
from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

from flask import Flask
from flask_login import current_user

from app.security import path_without_secrets
from app.timezones import user_zone

HTMX_CONFIG = json.dumps({
    "selfRequestsOnly": True, "allowEval": False, "allowScriptTags": False,
    "includeIndicatorStyles": False, "historyCacheSize": 0, "refreshOnHistoryMiss": True,
    "responseHandling": [
        {"code": "204", "swap": False},
        {"code": "[23]..", "swap": True},
        {"code": "422", "swap": True},
        {"code": "[45]..", "swap": True, "error": True},
    ],
})


def local_time(value: datetime | None, fmt: str = "%b %-d, %Y %-I:%M %p") -> str:
    if value is None:
        return ""
    return value.astimezone(user_zone(current_user)).strftime(fmt)


def long_date(value: date | None) -> str:
    return value.strftime("%b %-d, %Y") if value else ""


def hours(value: Decimal | float | int | None) -> str:
    """2.50 -> "2.5", 3.00 -> "3": hours as people write them."""
    if value is None:
        return ""
    text = f"{Decimal(value):.2f}".rstrip("0").rstrip(".")
    return text or "0"


def attrs(**values) -> dict:
    """Keyword arguments for a WTForms field, leaving out the ones that are None."""
    return {k: v for k, v in values.items() if v is not None and v is not False}


NAV_LINKS = [
    ("pages.dashboard", "Dashboard"),
    ("licenses.index", "Licenses"),
    ("activities.index", "Activities"),
    ("certificates.index", "Certificates"),
    ("account.index", "Account"),
    ("support.index", "Support"),
]


def register(app: Flask) -> None:
    @app.context_processor
    def navigation():
        links = [(e, label) for e, label in NAV_LINKS if e in app.view_functions
                 and (e != "support.index" or getattr(current_user, "is_support", False))]
        return {"nav_links": links}


    app.jinja_env.filters.update(local_time=local_time, long_date=long_date, hours=hours)
    app.jinja_env.globals.update(htmx_config=HTMX_CONFIG, attrs=attrs, path_without_secrets=path_without_secrets)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
