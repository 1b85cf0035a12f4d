"""The registry of user data: every table that holds something of a user, and how it is reached.

Export and purge both walk this registry, so a table added later is covered without touching
them: a table belongs to a user when it has a `user_id` column, or (like an association table)
through a foreign key to a table that does. `users` itself is the root. A table that holds no
user data must say so in NOT_USER_DATA, with the reason; tests/account/test_data_registry.py
fails for any table that is neither reachable nor declared.

Redis keys of an account are not here: they are listed by the registry in app.user_keys.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, MetaData, Select, Table, or_, select
from sqlalchemy.orm import Session

from app.db import Base

USERS = "users"

NOT_USER_DATA: dict[str, str] = {
    "policy_versions": "published policy texts, the same for every user",
    "account_purges": "bookkeeping of a purge in progress: content hashes and key names of an account "
                      "already deleted, removed when that purge finishes",
}

# Rows that belong to a user by something other than a foreign key: sign-in requests made for
# the address before the account existed carry only the e-mail.
EXTRA_MATCH: dict[str, Callable[[Table, int, str], ColumnElement[bool]]] = {
    "sign_in_tokens": lambda table, user_id, email: table.c.email == email,
}

# Columns exported as "withheld": one-way digests of secrets, useless to the user and to anyone.
WITHHELD = {
    ("sign_in_tokens", "token_hash"), ("sign_in_tokens", "code_hash"), ("sign_in_tokens", "browser_hash"),
    ("email_changes", "token_hash"), ("share_links", "token_hash"), ("calendar_feeds", "token_hash"),
}
WITHHELD_TEXT = "(withheld: a one-way digest of a secret)"


@dataclass(frozen=True)
class Owned:
    """One table of user data. via: "self" (users), "user_id", or "parent" (through foreign keys)."""

    table: Table
    via: str
    parents: tuple[tuple[str, Table, str], ...] = field(default=())  # (column, parent table, parent column)

    @property
    def name(self) -> str:
        return self.table.name


def _walk(metadata: MetaData) -> dict[str, Owned]:
    tables = metadata.tables
    owned: dict[str, Owned] = {USERS: Owned(tables[USERS], "self")}
    for table in tables.values():
        if table.name != USERS and "user_id" in table.c:
            owned[table.name] = Owned(table, "user_id")
    changed = True
    while changed:
        changed = False
        for table in tables.values():
            if table.name in owned:
                continue
            parents = tuple((fk.parent.name, fk.column.table, fk.column.name) for fk in table.foreign_keys
                            if fk.column.table.name in owned)
            if parents:
                owned[table.name] = Owned(table, "parent", parents)
                changed = True
    return owned


def user_tables(metadata: MetaData | None = None) -> list[Owned]:
    """Every table of user data, parents before children (Base.metadata's dependency order)."""
    metadata = metadata or Base.metadata
    owned = _walk(metadata)
    return [owned[t.name] for t in metadata.sorted_tables if t.name in owned]


def uncovered_tables(metadata: MetaData | None = None) -> list[str]:
    """Tables neither reachable from a user nor declared free of user data: must stay empty."""
    metadata = metadata or Base.metadata
    owned = _walk(metadata)
    return sorted(name for name in metadata.tables if name not in owned and name not in NOT_USER_DATA)


def unowned_user_references(metadata: MetaData | None = None) -> list[str]:
    """Foreign keys to users from a column other than user_id: whose data is that? Must be decided."""
    metadata = metadata or Base.metadata
    return sorted(f"{t.name}.{fk.parent.name}" for t in metadata.tables.values() for fk in t.foreign_keys
                  if fk.column.table.name == USERS and fk.parent.name != "user_id" and t.name != USERS)


def _condition(item: Owned, owned: dict[str, Owned], user_id: int, email: str) -> ColumnElement[bool]:
    table = item.table
    if item.via == "self":
        return table.c.id == user_id
    if item.via == "user_id":
        clause = table.c.user_id == user_id
    else:
        clause = or_(*(table.c[column].in_(
            select(parent.c[parent_column]).where(_condition(owned[parent.name], owned, user_id, email)))
            for column, parent, parent_column in item.parents))
    extra = EXTRA_MATCH.get(table.name)
    return or_(clause, extra(table, user_id, email)) if extra else clause


def rows_of(item: Owned, user_id: int, email: str, metadata: MetaData | None = None) -> Select:
    """SELECT of the user's rows in one table, ordered by primary key."""
    owned = _walk(metadata or Base.metadata)
    return select(item.table).where(_condition(item, owned, user_id, email)).order_by(
        *item.table.primary_key.columns)


def condition(item: Owned, user_id: int, email: str, metadata: MetaData | None = None) -> ColumnElement[bool]:
    return _condition(item, _walk(metadata or Base.metadata), user_id, email)


def plain(value: Any) -> Any:
    """A JSON-ready value: dates and times in ISO 8601 (UTC), hours as exact decimal strings."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    return value


def record(table: Table, row: Any) -> dict[str, Any]:
    """Every column of one row, digests of secrets withheld."""
    mapping = row._mapping
    return {column.name: WITHHELD_TEXT if (table.name, column.name) in WITHHELD and mapping[column] is not None
            else plain(mapping[column]) for column in table.columns}


def everything_of(session: Session, user_id: int, email: str) -> dict[str, list[dict[str, Any]]]:
    """Every record of the user, table by table: what data.json holds."""
    return {item.name: [record(item.table, row) for row in session.execute(rows_of(item, user_id, email))]
            for item in user_tables()}


def count_of(session: Session, user_id: int, email: str) -> dict[str, int]:
    from sqlalchemy import func
    counts = {}
    for item in user_tables():
        query = select(func.count()).select_from(item.table).where(condition(item, user_id, email))
        counts[item.name] = session.scalar(query) or 0
    return counts


def to_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=plain)
