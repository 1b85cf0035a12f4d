"""The registry of user data covers every table, and export and purge both follow it."""
from __future__ import annotations

import json

from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, select

from app.account import data
from app.account.deletion import purge_due
from app.models import Base
from app.tasks import JobRecord
from tests.account.seed import SEEDED, make_user, seed_everything


def test_every_table_is_user_data_or_says_why_not():
    assert data.uncovered_tables() == []
    assert data.unowned_user_references() == []
    assert set(data.NOT_USER_DATA) <= set(Base.metadata.tables)


def test_every_table_of_user_data_is_seeded_by_the_tests():
    """A new table of user data fails here until tests/account/seed.py fills it, which puts it
    under the export and purge tests below."""
    assert {item.name for item in data.user_tables()} == SEEDED


def test_a_table_added_later_is_found_by_the_walk():
    metadata = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(metadata)
    Table("reminders", metadata, Column("id", Integer, primary_key=True),
          Column("user_id", ForeignKey("users.id")), Column("text", String(50)))
    Table("reminder_tags", metadata, Column("reminder_id", ForeignKey("reminders.id"), primary_key=True),
          Column("tag", String(20), primary_key=True))
    Table("shared_lookup", metadata, Column("id", Integer, primary_key=True))
    owned = {item.name: item for item in data.user_tables(metadata)}
    assert owned["reminders"].via == "user_id"
    assert owned["reminder_tags"].via == "parent"
    assert data.uncovered_tables(metadata) == ["shared_lookup"]
    query = str(data.rows_of(owned["reminder_tags"], 7, "a@example.com", metadata))
    assert "reminders.user_id" in query


def _direct_ids(dbs, table, user_id: int) -> set:
    """The user's rows by a plain query, independent of the registry's own."""
    t = Base.metadata.tables[table]
    pk = list(t.primary_key.columns)
    if table == "users":
        query = select(*pk).where(t.c.id == user_id)
    elif "user_id" in t.c:
        query = select(*pk).where(t.c.user_id == user_id)
    else:
        activities = Base.metadata.tables["activities"]
        query = select(*pk).where(t.c.activity_id.in_(select(activities.c.id).where(activities.c.user_id == user_id)))
    return {tuple(row) for row in dbs.execute(query)}


def test_export_and_purge_cover_every_seeded_table(app, dbs, run_jobs):
    ann = make_user(dbs, "ann@example.com", "Ann")
    bob = make_user(dbs, "bob@example.com", "Bob")
    seed_everything(dbs, app, ann, "ann")
    seed_everything(dbs, app, bob, "bob")
    ann_id, bob_id = ann.id, bob.id
    with app.app_context():
        from app import db
        exported = data.everything_of(db.session, ann.id, ann.email)
    for table in SEEDED:
        pk = [c.name for c in Base.metadata.tables[table].primary_key.columns]
        ids = {tuple(row[c] for c in pk) for row in exported[table]}
        assert ids and ids == _direct_ids(dbs, table, ann.id), table
        assert not ids & _direct_ids(dbs, table, bob.id), table
        for row in exported[table]:
            assert set(row) == {c.name for c in Base.metadata.tables[table].columns}, table
    assert "bob" not in json.dumps(exported)

    from app.auth.models import User
    user = dbs.get(User, ann.id)
    user.deleted_at = user.purge_after = user.created_at
    dbs.commit()
    with app.app_context():
        report = purge_due()
    assert list(report.purged) == [ann.id]
    dbs.expire_all()
    for table in SEEDED:
        assert _direct_ids(dbs, table, ann_id) == set(), table
        assert _direct_ids(dbs, table, bob_id), table
    assert dbs.scalar(select(JobRecord).where(JobRecord.user_id == bob_id)) is not None
