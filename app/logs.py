"""Structured (JSON) logs, each line carrying the request id that the response also returns."""
from __future__ import annotations

import json
import logging
import secrets
import sys
import time

from flask import Flask, g, has_request_context, request

from app.security import path_without_secrets

access_log = logging.getLogger("cetracker.access")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"), "level": record.levelname,
                 "logger": record.name, "message": record.getMessage()}
        if has_request_context():
            entry["request_id"] = g.get("request_id")
            entry["path"] = path_without_secrets()
            entry["method"] = request.method
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry)


def configure(app: Flask) -> None:
    root = logging.getLogger()
    if not any(getattr(h, "_cetracker", False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        handler._cetracker = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    for noisy in ("alembic", "rq_scheduler", "urllib3", "fontTools", "weasyprint"):
        logging.getLogger(noisy).setLevel(logging.WARNING)

    @app.before_request
    def _request_id():
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if incoming.isalnum() and len(incoming) <= 64 else secrets.token_hex(8)
        g.request_started = time.perf_counter()

    @app.after_request
    def _echo_request_id(response):
        """One access line per request, with the path's secrets left out (gunicorn logs none)."""
        response.headers["X-Request-ID"] = g.get("request_id", "")
        elapsed = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
        access_log.info("%s %s %s %.1fms", request.method, path_without_secrets(), response.status_code, elapsed)
        return response
