"""CE Tracker: continuing-education hours, licenses and certificates, ready for a board audit."""
from __future__ import annotations

import logging
import secrets
from pathlib import Path

from dotenv import load_dotenv
from flask import Flask

BLUEPRINTS = [
    "app.pages.routes",
    "app.auth.routes",
    "app.licenses.routes",
    "app.health",
    "app.activities.routes",
    "app.certificates.routes",
    "app.account.routes",
    "app.feedback.routes",
    "app.support.routes",
    "app.reading.routes",
    "app.outputs.routes",
]


def create_app(config: dict | None = None) -> Flask:
    """Builds the app: configuration, extensions, blueprints, error pages and commands."""
    load_dotenv()
    from app.config import Config

    app = Flask(__name__, instance_relative_config=False)
    from app.certificates.uploads import UploadRequest
    app.request_class = UploadRequest  # uploaded files stream to the certificate staging area
    settings = Config().as_dict()
    settings.update(config or {})
    app.config.update(settings)
    _finish_config(app)
    _trust_proxies(app)
    _configure_logging(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def _finish_config(app: Flask) -> None:
    instance = Path(app.config["INSTANCE_DIR"])
    instance.mkdir(parents=True, exist_ok=True)
    if not app.config.get("REDIS_URL"):
        app.config["REDIS_URL"] = f"unix://{instance / 'redis' / 'redis.sock'}"
    if not app.config.get("SECRET_KEY"):
        if not (app.config.get("DEVELOPMENT") or app.config.get("TESTING")):
            raise RuntimeError("SECRET_KEY must be set outside development")
        key_file = instance / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(48))
            key_file.chmod(0o600)
        app.config["SECRET_KEY"] = key_file.read_text().strip()


def _trust_proxies(app: Flask) -> None:
    """Behind N proxies, the client's address and scheme come from the last N forwarded hops only
    (a client cannot forge its way past them); with none, forwarded headers are ignored."""
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0)


def _configure_logging(app: Flask) -> None:
    from app.logs import configure
    configure(app)


def register_extensions(app: Flask) -> None:
    from app import db, extensions, security
    db.init_app(app)
    extensions.init_app(app)
    security.init_app(app)
    from app.auth import sessions  # noqa: F401  (registers the user loader)
    from app.errors import unauthorized
    extensions.login_manager.unauthorized_handler(unauthorized)


def register_blueprints(app: Flask) -> None:
    import importlib
    for name in BLUEPRINTS:
        app.register_blueprint(importlib.import_module(name).bp)
    from app import ownership
    ownership.init_app(app)
    from app.templating import register
    register(app)


def register_errorhandlers(app: Flask) -> None:
    from app.errors import register
    register(app)


def register_commands(app: Flask) -> None:
    from app.cli import register
    register(app)


logging.getLogger(__name__).addHandler(logging.NullHandler())
