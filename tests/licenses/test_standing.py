"""The database adapter feeds the progress engine what the rows say, in a fixed number of queries."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import event

from app.activities.models import Activity, ActivityTopic
from app.licenses.catalog import load_catalog
from app.licenses.models import License, LicenseCycle
from app.licenses.standing import standings


def _user(dbs):
    from app.auth.models import User
    from app.db import utcnow
    user = User(email="s@example.com", name="S", age_confirmed_at=utcnow(), terms_accepted_at=utcnow(),
                terms_version="1.0")
    dbs.add(user)
    dbs.commit()
    return user


def _seed(dbs, user, activities: int):
    rules = load_catalog().all()[0].to_dict()
    licenses = []
    for n, deadline in enumerate([date(2027, 6, 30), date(2027, 1, 31)]):
        lic = License(user_id=user.id, profession="Counselor", issuing_body="TX", rules=rules)
        lic.cycles.append(LicenseCycle(user_id=user.id, cycle_start=date(2025, 2, 1) if n else date(2025, 7, 1),
                                       renewal_deadline=deadline))
        dbs.add(lic)
        licenses.append(lic)
    dbs.flush()
    for i in range(activities):
        act = Activity(user_id=user.id, title=f"Course {i}", completed_on=date(2026, 3, 1), hours=Decimal("1.5"),
                       format="live")
        act.topics.append(ActivityTopic(topic="ethics", hours=Decimal("0.5")))
        act.licenses.extend(licenses)
        dbs.add(act)
    dbs.commit()
    return licenses


def _count_queries(app, work):
    engine = app.extensions["db_engine"]
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)
    event.listen(engine, "before_cursor_execute", count)
    try:
        result = work()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return result, len(statements)


def test_standings_sorted_by_deadline_and_counting_logged_hours(app, dbs):
    user = _user(dbs)
    _seed(dbs, user, 4)
    with app.app_context():
        result = standings(user.id, date(2026, 6, 1))
        assert [s.cycle.renewal_deadline for s in result] == [date(2027, 1, 31), date(2027, 6, 30)]
        assert all(s.progress.logged_hours == Decimal("6.0") for s in result)


def test_query_count_does_not_grow_with_activities(app, dbs):
    user = _user(dbs)
    licenses = _seed(dbs, user, 3)
    with app.app_context():
        _, few = _count_queries(app, lambda: standings(user.id, date(2026, 6, 1)))
    for i in range(40):
        act = Activity(user_id=user.id, title=f"More {i}", completed_on=date(2026, 4, 1), hours=Decimal(1),
                       format="self_study")
        act.licenses.extend(licenses)
        dbs.add(act)
    dbs.commit()
    with app.app_context():
        _, many = _count_queries(app, lambda: standings(user.id, date(2026, 6, 1)))
    assert few == many
