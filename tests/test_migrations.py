"""Every migration applies to an empty SQLite and an empty PostgreSQL database, and the result
matches the models exactly (no table, column, index or constraint missing or extra)."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from app.cli import upgrade_database
from app.db import make_engine
from app.models import Base
from tests import services


def _database(kind: str, worker_id: str, tmp_path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'migrated.db'}"
    try:
        url = services.postgres_database(worker_id, suffix="_migrations")
    except Exception as exc:  # pragma: no cover - the ./test script makes PostgreSQL answer
        pytest.fail(f"PostgreSQL is not reachable for the migration test: {exc}")
    services.reset_postgres_database(url)
    return url


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_migrations_build_the_schema_of_the_models(kind, worker_id, tmp_path):
    url = _database(kind, worker_id, tmp_path)
    upgrade_database(url)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
            tables = set(inspect(connection).get_table_names())
        assert differences == []
        assert set(Base.metadata.tables) <= tables
    finally:
        engine.dispose()
