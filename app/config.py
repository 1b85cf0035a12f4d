"""Configuration read from the environment (and .env, loaded by python-dotenv).

Every setting is documented in .env.example and in the README's settings table.
"""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _int(name: str, default: int) -> int:
    return int(_env(name, str(default)))


def _bool(name: str, default: bool) -> bool:
    return (_env(name, "1" if default else "0") or "").lower() in {"1", "true", "yes", "on"}


class Config:
    """Settings for a running app; each attribute reads its environment variable once."""

    def __init__(self) -> None:
        self.ENV = _env("APP_ENV", "development")
        self.DEVELOPMENT = self.ENV == "development"
        self.TESTING = False
        self.INSTANCE_DIR = Path(_env("INSTANCE_DIR", str(ROOT / "instance")))
        self.SECRET_KEY = _env("SECRET_KEY")
        self.DATABASE_URL = _env("DATABASE_URL", f"sqlite:///{self.INSTANCE_DIR / 'cetracker.db'}")
        self.REDIS_URL = _env("REDIS_URL")
        self.BASE_URL = (_env("BASE_URL", "http://127.0.0.1:5000") or "").rstrip("/")
        self.MAIL_URL = _env("MAIL_URL", "console://")
        self.MAIL_FROM = _env("MAIL_FROM", "CE Tracker <no-reply@bestcetracker.com>")
        self.MAIL_DIR = Path(_env("MAIL_DIR", str(self.INSTANCE_DIR / "mail")))
        self.CERTIFICATE_ROOT = Path(_env("CERTIFICATE_ROOT", str(self.INSTANCE_DIR / "certificates")))
        self.MAX_UPLOAD_MB = _int("MAX_UPLOAD_MB", 20)
        # The integrity sweep re-hashes every stored certificate at most this fast (0: no limit), so that it
        # never starves the web process of disk bandwidth.
        self.INTEGRITY_SWEEP_BYTES_PER_SECOND = _int("INTEGRITY_SWEEP_BYTES_PER_SECOND", 20 * 1024 * 1024)
        # Temporary upload files older than this, that no pending certificate refers to, are removed.
        self.STALE_UPLOAD_HOURS = _int("STALE_UPLOAD_HOURS", 6)
        self.ANTHROPIC_API_KEY = _env("ANTHROPIC_API_KEY")
        self.ANTHROPIC_MODEL = _env("ANTHROPIC_MODEL", "claude-sonnet-4-5")
        self.ANTHROPIC_TIMEOUT = float(_env("ANTHROPIC_TIMEOUT", "30"))
        self.ANTHROPIC_MAX_RETRIES = _int("ANTHROPIC_MAX_RETRIES", 1)
        # Not from the environment: tests pass ANTHROPIC_HTTP_CLIENT (an httpx2 client over a MockTransport)
        # to create_app, and app.reading hands it to app.parsing.ai as `http_client`.
        self.AI_READS_PER_DAY = _int("AI_READS_PER_DAY", 20)  # per user, on the user's calendar day
        self.PURGE_AFTER_DAYS = _int("PURGE_AFTER_DAYS", 30)
        self.PURGE_BATCH_SIZE = _int("PURGE_BATCH_SIZE", 50)  # accounts per purge batch
        self.EXPORT_HOURS = _int("EXPORT_HOURS", 24)  # how long a data export can be downloaded
        self.EMAIL_CHANGE_MINUTES = _int("EMAIL_CHANGE_MINUTES", 60)  # life of an address-change link
        self.POLICY_NOTICE_DAYS = _int("POLICY_NOTICE_DAYS", 7)  # least notice of a material policy change
        self.FEEDBACK_LIMIT_PER_IP = _env("FEEDBACK_LIMIT_PER_IP", "20 per hour")
        # A shared transcript's PDF is rendered on each request, for anyone holding the link.
        self.SHARED_PDF_LIMIT_PER_IP = _env("SHARED_PDF_LIMIT_PER_IP", "30 per hour")
        self.SIGN_IN_TOKEN_MINUTES = _int("SIGN_IN_TOKEN_MINUTES", 15)
        self.SIGN_IN_CODE_TRIES = _int("SIGN_IN_CODE_TRIES", 5)
        self.SIGN_IN_LIMIT_PER_ADDRESS = _env("SIGN_IN_LIMIT_PER_ADDRESS", "5 per hour")
        self.SIGN_IN_LIMIT_PER_IP = _env("SIGN_IN_LIMIT_PER_IP", "30 per hour")
        self.CODE_LIMIT_PER_IP = _env("CODE_LIMIT_PER_IP", "30 per hour")
        self.OPERATOR_NAME = _env("OPERATOR_NAME", "Best CE Tracker, LLC")
        self.CONTACT_EMAIL = _env("CONTACT_EMAIL", "support@bestcetracker.com")
        self.POLICY_EFFECTIVE = _env("POLICY_EFFECTIVE", "2026-05-11")
        self.POLICY_VERSION = _env("POLICY_VERSION", "1.0")
        # How many reverse proxies (load balancer, TLS terminator) stand in front of the web processes and
        # set X-Forwarded-For/-Proto. 0 trusts no such header: rate limits and the audit see the peer address.
        self.TRUSTED_PROXIES = _int("TRUSTED_PROXIES", 0)
        self.LOG_LEVEL = _env("LOG_LEVEL", "INFO")
        self.RQ_PREFIX = _env("RQ_PREFIX", "")
        self.WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session it is bound to
        self.SESSION_COOKIE_NAME = "session"
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", not self.DEVELOPMENT)
        self.PERMANENT_SESSION_LIFETIME = _int("SESSION_HOURS", 12) * 3600
        self.MAX_CONTENT_LENGTH = (self.MAX_UPLOAD_MB + 1) * 1024 * 1024

    def as_dict(self) -> dict:
        return {k: v for k, v in vars(self).items() if k.isupper()}
