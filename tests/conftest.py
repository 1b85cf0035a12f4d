"""Fixtures for the whole suite: the app on a real database, Redis and SMTP; clients; sign-in helpers.

TEST_DB=postgres runs the suite on PostgreSQL (TEST_DATABASE_URL names the server); the default
is SQLite. Each pytest worker has its own database and its own Redis db index.
"""
from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from flask.testing import FlaskClient
from sqlalchemy import delete, select, text

from tests import services
from tests.mailbox import sign_in_code, start_smtp

SECRET = "test-secret-key-0123456789abcdef0123456789"


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: drives Chromium against a served app")


@pytest.fixture(scope="session")
def worker_id(request) -> str:
    return getattr(request.config, "workerinput", {}).get("workerid", "gw0")


@pytest.fixture(scope="session")
def smtp():
    controller, mailbox = start_smtp()
    mailbox.port = controller.port
    yield mailbox
    controller.stop()


@pytest.fixture(scope="session")
def redis_url(worker_id) -> str:
    return services.redis_url(worker_id)


@pytest.fixture(scope="session")
def database_url(worker_id, tmp_path_factory) -> str:
    if services.database_kind() == "postgres":
        url = services.postgres_database(worker_id)
        services.reset_postgres_database(url)
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def settings_for(database_url: str, redis_url: str, smtp_port: int, instance) -> dict:
    return {
        "TESTING": True, "ENV": "test", "DEVELOPMENT": False, "SECRET_KEY": SECRET,
        "DATABASE_URL": database_url, "REDIS_URL": redis_url,
        "MAIL_URL": f"smtp://127.0.0.1:{smtp_port}", "INSTANCE_DIR": instance,
        "MAIL_DIR": instance / "mail", "CERTIFICATE_ROOT": instance / "certificates",
        "BASE_URL": "https://cetracker.test", "SESSION_COOKIE_SECURE": True,
        "ANTHROPIC_API_KEY": None,
    }


@pytest.fixture(scope="session")
def app(database_url, redis_url, smtp, tmp_path_factory):
    import jobs
    from app import create_app
    from app.models import Base

    instance = tmp_path_factory.mktemp("instance")
    application = create_app(settings_for(database_url, redis_url, smtp.port, instance))
    with application.app_context():
        Base.metadata.create_all(application.extensions["db_engine"])
    jobs.use_app(application)
    yield application
    application.extensions["db_engine"].dispose()


def empty_database(app) -> None:
    from app.models import Base
    engine = app.extensions["db_engine"]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(delete(table))


def empty_redis(app) -> None:
    """Deletes the keys of our own db index (never another index, never the whole server)."""
    connection = app.extensions["redis"]
    keys = list(connection.scan_iter(count=1000))
    if keys:
        connection.delete(*keys)


@pytest.fixture(autouse=True)
def _clean_services(request):
    yield
    if "app" in request.fixturenames:
        app = request.getfixturevalue("app")
        empty_database(app)
        empty_redis(app)
        from app.extensions import limiter
        limiter.reset()


@pytest.fixture
def fresh_app(app, database_url, redis_url, smtp, tmp_path):
    """fresh_app(**settings) -> another app on the suite's database, Redis and SMTP, settings changed.

    The extensions (the rate limiter above all) are module-level objects that each create_app binds
    to its app; at the end they are bound to the suite's app again, out of any memory fallback a
    dead Redis put the limiter in.
    """
    from app import create_app
    from app.extensions import limiter

    built = []

    def make(**overrides):
        settings = settings_for(database_url, redis_url, smtp.port, tmp_path / f"instance-{len(built)}")
        settings.update(overrides)
        application = create_app(settings)
        application.test_client_class = Client
        built.append(application)
        return application
    yield make
    for application in built:
        application.extensions["db_engine"].dispose()
    limiter.init_app(app)
    limiter._storage_dead = False  # Flask-Limiter's own flag; nothing public resets it


@pytest.fixture
def mailbox(smtp):
    smtp.clear()
    return smtp


@pytest.fixture
def dbs(app):
    """A database session of the test's own, apart from the one a request uses."""
    session = app.extensions["db_sessionmaker"]()
    yield session
    session.close()


class Client(FlaskClient):
    """A test client that fills in the CSRF token the way a browser's form would."""

    def csrf_token(self) -> str:
        page = self.get("/sign-in", follow_redirects=True).get_data(as_text=True)
        match = (re.search(r'name="csrf-token" content="([^"]+)"', page)
                 or re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page))
        assert match, "no CSRF token on the page"
        return match.group(1)

    def post_form(self, url: str, data: dict | None = None, *, htmx: bool = False, target: str | None = None,
                  headers: dict | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        headers = dict(headers or {})
        if htmx:
            headers["HX-Request"] = "true"
            if target:
                headers["HX-Target"] = target
        return self.post(url, data=data, headers=headers, **kwargs)

    def htmx_get(self, url: str, target: str | None = None, **kwargs):
        headers = {"HX-Request": "true", **({"HX-Target": target} if target else {})}
        return self.get(url, headers=headers, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = Client
    return app.test_client()


@pytest.fixture
def make_client(app):
    """Another browser: its own cookie jar."""
    def factory() -> Client:
        app.test_client_class = Client
        return app.test_client()
    return factory


@pytest.fixture
def run_jobs(app):
    """Runs every queued job in this process with a real RQ worker, until the queues are empty."""
    from rq import SimpleWorker

    from app.extensions import QUEUE_NAMES, queue

    def run() -> None:
        with app.app_context():
            worker = SimpleWorker([queue(name) for name in QUEUE_NAMES], connection=app.extensions["redis"])
            worker.work(burst=True)
    return run


class AuthActions:
    """Signs people up and in through the real pages, mail and code included."""

    def __init__(self, app, mailbox, run_jobs):
        self.app, self.mailbox, self.run_jobs = app, mailbox, run_jobs

    def request_code(self, client: Client, email: str):
        response = client.post_form("/sign-in", {"email": email})
        assert response.status_code == 303, response.status_code
        self.run_jobs()
        return sign_in_code(self.mailbox.wait_for(email))

    def sign_up(self, client: Client, email: str = "ann@example.com", name: str = "Ann Example",
                time_zone: str = "America/Chicago"):
        code = self.request_code(client, email)
        assert client.post_form("/sign-in/code", {"code": code}).headers["Location"] == "/welcome"
        response = client.post_form("/welcome", {"name": name, "time_zone": time_zone, "adult": "y", "accept": "y"})
        assert response.status_code == 303, response.get_data(as_text=True)
        return self.user(email)

    def sign_in(self, client: Client, email: str):
        code = self.request_code(client, email)
        response = client.post_form("/sign-in/code", {"code": code})
        assert response.status_code == 303
        return self.user(email)

    def user(self, email: str):
        from app.auth.models import User
        session = self.app.extensions["db_sessionmaker"]()
        try:
            return session.scalar(select(User).where(User.email == email))
        finally:
            session.close()


@pytest.fixture
def auth(app, mailbox, run_jobs):
    return AuthActions(app, mailbox, run_jobs)


@pytest.fixture
def user_client(client, auth):
    """A signed-in client for Ann."""
    client.user = auth.sign_up(client)
    return client


@contextmanager
def app_context(app):
    with app.app_context():
        yield
