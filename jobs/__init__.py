"""RQ entry points. Each opens an app context and calls a domain function: no logic lives here."""
from __future__ import annotations

import functools
import logging

from flask import Flask, has_app_context

log = logging.getLogger(__name__)
_app: Flask | None = None


def use_app(app: Flask) -> None:
    """Lets an in-process worker (tests, one-off commands) run jobs against a given app."""
    global _app
    _app = app


def _get_app() -> Flask:
    global _app
    if _app is None:
        from app import create_app
        _app = create_app()
    return _app


def preload() -> None:
    """Builds the app and imports every job module now (the worker's parent calls it once)."""
    import importlib
    import pkgutil
    _get_app()
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


def with_app(func):
    """Runs the job inside an app context (the current one when there is one)."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if has_app_context():
            return func(*args, **kwargs)
        with _get_app().app_context():
            return func(*args, **kwargs)
    return wrapper


def tracked(func):
    """For jobs whose first argument is a JobRecord id: marks it running, then done or failed.

    The function may return a result URL; an exception marks the record failed with a
    user-facing message and is re-raised so RQ keeps it in the failed registry.
    """
    @functools.wraps(func)
    def wrapper(record_id: str, *args, **kwargs):
        from app import tasks
        tasks.update(record_id, state="running", progress="Working on it")
        try:
            result_url = func(record_id, *args, **kwargs)
        except Exception as exc:
            from app import db
            db.session.rollback()
            message = getattr(exc, "user_message", None) or "This did not work. Please try again."
            tasks.update(record_id, state="failed", progress="Failed", error=message)
            log.exception("job %s failed", func.__name__)
            raise
        tasks.update(record_id, state="done", progress="Done", result_url=result_url)
        return result_url
    return with_app(wrapper)
