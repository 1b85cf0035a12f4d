"""Where the test services live: one Redis db index and one database per pytest worker.

The ./test script exports TEST_REDIS_URL and TEST_DATABASE_URL after making sure each answers;
the defaults are the local services. Nothing here stops or flushes anything but our own db index.
"""
from __future__ import annotations

import os
import re

from sqlalchemy import create_engine, text


def worker_number(worker_id: str) -> int:
    match = re.search(r"(\d+)$", worker_id or "")
    return int(match.group(1)) if match else 0


def redis_url(worker_id: str) -> str:
    base = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/10")
    if base.startswith("unix://"):  # unix:///path/redis.sock?db=10
        path, _, query = base.partition("?db=")
        return f"{path}?db={int(query or 10) + worker_number(worker_id)}"
    head, _, db = base.rpartition("/")
    if not db.isdigit():
        head, db = base.rstrip("/"), "10"
    return f"{head}/{int(db) + worker_number(worker_id)}"


def database_kind() -> str:
    return os.environ.get("TEST_DB", "sqlite")


def postgres_admin_url() -> str:
    return os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://127.0.0.1:5432/test")


def postgres_database(worker_id: str, suffix: str = "") -> str:
    """Creates (once) and returns the URL of this worker's own PostgreSQL database."""
    admin = postgres_admin_url()
    namespace = os.environ.get("TEST_NAMESPACE", "main")
    name = f"cetracker_test_{namespace}_{worker_number(worker_id)}{suffix}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return admin.rsplit("/", 1)[0] + "/" + name


def reset_postgres_database(url: str) -> None:
    """Empties a database of ours by dropping and recreating its public schema."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
