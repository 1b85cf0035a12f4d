"""Licenses and activities put straight into the database, for page tests that need figures."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.activities.models import Activity, ActivityTopic
from app.licenses.catalog import load_catalog
from app.licenses.models import License, LicenseCycle


def add_license(session, user_id: int, slug: str = "tx-lpc", *, start: date = date(2025, 1, 1),
                deadline: date = date(2026, 12, 31), profession: str | None = None,
                issuing_body: str = "Texas", credential: str | None = None) -> License:
    """A catalog license with one open cycle, committed."""
    rule_set = load_catalog().get(slug)
    license = License(user_id=user_id, profession=profession or rule_set.title,
                      credential=credential or rule_set.license_type, issuing_body=issuing_body,
                      rule_set_slug=slug, rules=rule_set.to_dict(), applicable_conditions=[])
    license.cycles.append(LicenseCycle(user_id=user_id, cycle_start=start, renewal_deadline=deadline,
                                       cycle_number=1, carried_in_hours=Decimal(0), last_met_cycle={}))
    session.add(license)
    session.commit()
    return license


def add_activity(session, user_id: int, licenses: list[License], *, hours: str = "1",
                 completed_on: date = date(2025, 6, 1), fmt: str = "live", title: str = "Workshop",
                 topics: dict[str, str] | None = None, approval_body: str | None = None,
                 commit: bool = True) -> Activity:
    activity = Activity(user_id=user_id, title=title, completed_on=completed_on, hours=Decimal(hours),
                        format=fmt, approval_body=approval_body)
    activity.topics = [ActivityTopic(topic=topic, hours=Decimal(h)) for topic, h in (topics or {}).items()]
    activity.licenses = list(licenses)
    session.add(activity)
    if commit:
        session.commit()
    return activity
