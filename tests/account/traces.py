"""Looks everywhere for what is left of an account: every table, the file storage and Redis."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import String, Text, select

from app.models import Base


def database_traces(dbs, user_id: int, email: str) -> list[str]:
    """Rows that name the account: by a user_id column or by its address in any text column."""
    found = []
    for table in Base.metadata.sorted_tables:
        if "user_id" in table.c:
            for row in dbs.execute(select(table).where(table.c.user_id == user_id)):
                found.append(f"{table.name}: {dict(row._mapping)}")
        if table.name == "users":
            if dbs.execute(select(table).where(table.c.id == user_id)).first():
                found.append(f"users: id {user_id}")
        for column in table.columns:
            if isinstance(column.type, String | Text):
                for row in dbs.execute(select(table).where(column.contains(email))):
                    found.append(f"{table.name}.{column.name} names {email}: {dict(row._mapping)}")
    return found


def all_rows(dbs) -> dict[str, list]:
    return {t.name: sorted(map(repr, dbs.execute(select(t)).all())) for t in Base.metadata.sorted_tables}


def files_under(folder) -> set[str]:
    folder = Path(folder)
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()


def redis_keys(app) -> set[str]:
    return {key.decode() for key in app.extensions["redis"].scan_iter(count=1000)}


def account_redis_keys(app, user_id: int, email: str, job_ids: tuple[str, ...] = ()) -> set[str]:
    """Keys that name the account: by its id in a per-user key, its address, or its jobs' ids."""
    marks = (f"user:{user_id}:", f"import:{user_id}:", email, *job_ids)
    return {key for key in redis_keys(app) if any(mark in key for mark in marks)}
