"""Where each license stands: database rows turned into the progress engine's inputs.

A fixed number of queries loads everything a user's dashboard needs (licenses, their cycles,
the activities counted toward them, and those activities' topics), however many activities
there are: topics are loaded by a subquery, not in batches of ids that grow with the count.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app import db
from app.activities.models import Activity, ActivityTopic, activity_licenses
from app.licenses.models import License, LicenseCycle
from app.licenses.progress import ActivityCredit, Cycle, CycleProgress, compute_progress
from app.licenses.rules import RuleSet


@dataclass(frozen=True)
class Standing:
    """One license's current cycle and its progress, ready for a card or a transcript."""

    license: License
    cycle: LicenseCycle
    rule_set: RuleSet
    progress: CycleProgress
    activities_in_cycle: int = 0  # activities counted toward the license and dated in the cycle


def rule_set_of(license: License) -> RuleSet:
    return RuleSet.from_dict(license.rules)


def engine_cycle(license: License, row: LicenseCycle) -> Cycle:
    return Cycle(cycle_start=row.cycle_start, renewal_deadline=row.renewal_deadline,
                 cycle_number=row.cycle_number, is_first_renewal=row.is_first_renewal,
                 carried_in_hours=row.carried_in_hours, licensed_on=license.licensed_on,
                 last_met_cycle=dict(row.last_met_cycle or {}))


def credit(activity: Activity) -> ActivityCredit:
    return ActivityCredit(activity_id=activity.id, completed_on=activity.completed_on, hours=activity.hours,
                          format=activity.format, topic_hours={t.topic: t.hours for t in activity.topics},
                          approval_body=activity.approval_body)


def cycle_progress(license: License, row: LicenseCycle, activities: list[Activity], today: date) -> CycleProgress:
    """Progress of one cycle from the activities that count toward its license."""
    return compute_progress(rule_set_of(license), engine_cycle(license, row), [credit(a) for a in activities],
                            today, applicable_conditions=tuple(license.applicable_conditions or ()))


def current_cycle(license: License) -> LicenseCycle | None:
    """The open cycle (not yet renewed), or the latest one."""
    open_cycles = [c for c in license.cycles if c.renewed_on is None]
    if open_cycles:
        return max(open_cycles, key=lambda c: c.cycle_start)
    return max(license.cycles, key=lambda c: c.cycle_start) if license.cycles else None


def activities_by_license(user_id: int, license_ids: list[int]) -> dict[int, list[Activity]]:
    """Every activity counted toward each license, topics loaded: two queries for any number."""
    if not license_ids:
        return {}
    rows = db.session.execute(
        select(activity_licenses.c.license_id, Activity)
        .join(Activity, Activity.id == activity_licenses.c.activity_id)
        .where(Activity.user_id == user_id, activity_licenses.c.license_id.in_(license_ids))
    ).all()
    counted = select(activity_licenses.c.activity_id).where(activity_licenses.c.license_id.in_(license_ids))
    topics = db.session.scalars(
        select(ActivityTopic).join(Activity, Activity.id == ActivityTopic.activity_id)
        .where(Activity.user_id == user_id, ActivityTopic.activity_id.in_(counted))
        .order_by(ActivityTopic.activity_id, ActivityTopic.topic)
    ).all()
    topics_of: dict[int, list[ActivityTopic]] = defaultdict(list)
    for topic in topics:
        topics_of[topic.activity_id].append(topic)
    grouped: dict[int, list[Activity]] = {lid: [] for lid in license_ids}
    for license_id, activity in rows:
        set_committed_value(activity, "topics", topics_of.get(activity.id, []))
        grouped[license_id].append(activity)
    return grouped


def credits_by_license(user_id: int, license_ids: list[int]) -> dict[int, list[ActivityCredit]]:
    """What progress needs of each counted activity, read as plain rows (no ORM objects): two queries."""
    if not license_ids:
        return {}
    counted = select(activity_licenses.c.activity_id).where(activity_licenses.c.license_id.in_(license_ids))
    topics_of: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for activity_id, topic, hours in db.session.execute(
            select(ActivityTopic.activity_id, ActivityTopic.topic, ActivityTopic.hours)
            .join(Activity, Activity.id == ActivityTopic.activity_id)
            .where(Activity.user_id == user_id, ActivityTopic.activity_id.in_(counted))):
        topics_of[activity_id][topic] = hours
    grouped: dict[int, list[ActivityCredit]] = {lid: [] for lid in license_ids}
    made: dict[int, ActivityCredit] = {}
    for license_id, activity_id, completed_on, hours, fmt, body in db.session.execute(
            select(activity_licenses.c.license_id, Activity.id, Activity.completed_on, Activity.hours,
                   Activity.format, Activity.approval_body)
            .join(Activity, Activity.id == activity_licenses.c.activity_id)
            .where(Activity.user_id == user_id, activity_licenses.c.license_id.in_(license_ids))):
        if activity_id not in made:
            made[activity_id] = ActivityCredit(activity_id=activity_id, completed_on=completed_on, hours=hours,
                                               format=fmt, topic_hours=topics_of.get(activity_id, {}),
                                               approval_body=body)
        grouped[license_id].append(made[activity_id])
    return grouped


def standings(user_id: int, today: date) -> list[Standing]:
    """Every license of the user with its current cycle's progress, deadlines soonest first."""
    licenses = db.session.scalars(
        select(License).where(License.user_id == user_id).options(selectinload(License.cycles))
    ).all()
    by_license = credits_by_license(user_id, [lic.id for lic in licenses])
    result = []
    for license in licenses:
        row = current_cycle(license)
        if row is None:
            continue
        activities = by_license[license.id]
        progress = compute_progress(rule_set_of(license), engine_cycle(license, row), activities, today,
                                    applicable_conditions=tuple(license.applicable_conditions or ()))
        result.append(Standing(license, row, rule_set_of(license), progress,
                               len(activities) - len(progress.ignored_activity_ids)))
    return sorted(result, key=lambda s: (s.cycle.renewal_deadline, s.license.id))
