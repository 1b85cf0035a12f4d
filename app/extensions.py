"""Shared extension objects: sign-in manager, CSRF, rate limiter, Redis and the job queues."""
from __future__ import annotations

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from redis import Redis
from rq import Queue

login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)

QUEUE_NAMES = ("default", "low")


def limiter_storage_uri(redis_url: str) -> str:
    """Flask-Limiter spells a unix-socket Redis as redis+unix://."""
    if redis_url.startswith("unix://"):
        return "redis+unix://" + redis_url[len("unix://"):]
    return redis_url


def init_app(app: Flask) -> None:
    redis_url = app.config["REDIS_URL"]
    app.extensions["redis"] = Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=5)
    app.config.setdefault("RATELIMIT_STORAGE_URI", limiter_storage_uri(redis_url))
    # Redis down must not turn every sign-in into a 500: limits fall back to this process's memory.
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    app.config.setdefault("RATELIMIT_KEY_PREFIX", app.config.get("RQ_PREFIX", "") + "limits")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)


def redis() -> Redis:
    return current_app.extensions["redis"]


def queue(name: str = "default") -> Queue:
    if name not in QUEUE_NAMES:
        raise ValueError(f"unknown queue {name!r}")
    return Queue(name, connection=redis())
