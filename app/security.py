"""Response headers, cookie policy and safe redirect targets."""
from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from flask import Flask, request
from flask_login import current_user

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'self'; object-src 'none'")


SECRET_URL_PARTS = {"token"}


def path_without_secrets() -> str:
    """The request path for logs and links, or its route pattern when the URL itself is a secret
    (a sign-in link): the raw token must never reach a log line or another page's URL."""
    if request.url_rule is not None and SECRET_URL_PARTS & set(request.view_args or {}):
        return request.url_rule.rule
    return request.path


def safe_next(target: str | None, default: str) -> str:
    """Only a path on this site: no scheme, no host, no backslash or control character tricks."""
    if not target or not isinstance(target, str):
        return default
    if any(unicodedata.category(ch).startswith("C") for ch in target) or "\\" in target:
        return default
    if not target.startswith("/") or target.startswith("//"):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def set_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    headers["X-Frame-Options"] = "DENY"
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if _signed_in() or request.path.startswith("/sign-in") or request.path.startswith("/welcome"):
        headers["Cache-Control"] = "no-store"
    return response


def _signed_in() -> bool:
    try:
        return bool(current_user and current_user.is_authenticated)
    except Exception:  # outside a request that loaded the user
        return False


def init_app(app: Flask) -> None:
    app.after_request(set_headers)
