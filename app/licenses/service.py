"""Reading and writing a user's licenses and cycles: every read filters by the user.

Each write commits, records an audit event and bumps the user's progress version, so the
dashboard's cached figures are recomputed on the next read.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app import audit, db
from app.activities.models import Activity, activity_licenses
from app.licenses.cycles import UnknownCycleLength, next_cycle
from app.licenses.editing import with_done_before
from app.licenses.models import License, LicenseCycle
from app.licenses.progress import CycleProgress
from app.licenses.progress_cache import bump_progress_version
from app.licenses.progress_rules import hours_text
from app.licenses.rules import RuleSet
from app.licenses.standing import activities_by_license, current_cycle, cycle_progress, engine_cycle, rule_set_of


@dataclass(frozen=True)
class LicenseValues:
    """Everything the license form decides, checked and resolved."""

    profession: str
    credential: str | None
    issuing_body: str
    license_number: str | None
    licensed_on: date | None
    rule_set_slug: str | None  # the catalog slug, None for a custom rule set
    rules: RuleSet
    applicable_conditions: list[str]
    cycle_start: date
    renewal_deadline: date
    is_first_renewal: bool
    done_before: tuple[str, ...] = ()  # once-in-a-career requirement keys completed before this cycle


def owned_license(user_id: int, license_id: int) -> License | None:
    """The user's license with its cycles; None for anyone else's (the view answers 404)."""
    return db.session.scalar(
        select(License).where(License.id == license_id, License.user_id == user_id)
        .options(selectinload(License.cycles)))


def owned_cycle(license: License, cycle_id: int) -> LicenseCycle | None:
    return next((row for row in license.cycles if row.id == cycle_id and row.user_id == license.user_id), None)


def license_activities(license: License) -> list[Activity]:
    """Every activity counted toward this license, topics loaded, oldest first."""
    found = activities_by_license(license.user_id, [license.id])[license.id]
    return sorted(found, key=lambda activity: (activity.completed_on, activity.id))


def count_license_activities(license: License) -> int:
    """How many activities count toward the license (they stay when it is deleted)."""
    return db.session.scalar(
        select(func.count()).select_from(activity_licenses)
        .where(activity_licenses.c.license_id == license.id)) or 0


def recent_in_cycle(license: License, row: LicenseCycle, limit: int = 10) -> list[Activity]:
    """The newest activities counted toward the license and dated in the cycle (two queries)."""
    return list(db.session.scalars(
        select(Activity).join(activity_licenses, activity_licenses.c.activity_id == Activity.id)
        .where(activity_licenses.c.license_id == license.id, Activity.user_id == license.user_id,
               Activity.completed_on >= row.cycle_start, Activity.completed_on <= row.renewal_deadline)
        .order_by(Activity.completed_on.desc(), Activity.id.desc()).limit(limit)
        .options(selectinload(Activity.topics))))


def in_cycle(activities: list[Activity], row: LicenseCycle) -> list[Activity]:
    return [a for a in activities if row.cycle_start <= a.completed_on <= row.renewal_deadline]


def progress_of(license: License, row: LicenseCycle, activities: list[Activity], today: date) -> CycleProgress:
    """A cycle's progress; a closed cycle is judged as it stood on its deadline."""
    as_of = today if row.is_open else row.renewal_deadline
    return cycle_progress(license, row, activities, as_of)


def save_license(user_id: int, values: LicenseValues, license: License | None = None) -> License:
    """Creates or updates a license and its current cycle."""
    creating = license is None
    if license is None:
        license = License(user_id=user_id)
        db.session.add(license)
    license.profession = values.profession
    license.credential = values.credential or None
    license.issuing_body = values.issuing_body
    license.license_number = values.license_number or None
    license.licensed_on = values.licensed_on
    license.rule_set_slug = values.rule_set_slug
    license.rules = values.rules.to_dict()
    license.applicable_conditions = list(values.applicable_conditions)
    row = None if creating else current_cycle(license)
    if row is None:
        row = LicenseCycle(user_id=user_id, cycle_number=1, carried_in_hours=Decimal(0), last_met_cycle={})
        license.cycles.append(row)
    row.cycle_start = values.cycle_start
    row.renewal_deadline = values.renewal_deadline
    row.is_first_renewal = values.is_first_renewal
    row.last_met_cycle = with_done_before(row.last_met_cycle, row.cycle_number, values.rules,
                                          list(values.done_before))
    db.session.flush()
    if creating:
        _adopt_unlinked_activities(user_id, license, row)
    audit.record(f"user:{user_id}", "license_added" if creating else "license_changed", f"license:{license.id}",
                 user_id=user_id, rule_set=values.rule_set_slug or "custom", origin=values.rules.origin.value)
    db.session.commit()
    bump_progress_version(user_id)
    return license


def _adopt_unlinked_activities(user_id: int, license: License, row: LicenseCycle) -> None:
    """Activities logged before any license ("log it now, add the license after") and dated in the
    new license's cycle count toward it, as the activity form would have ticked it."""
    linked = select(activity_licenses.c.activity_id).where(activity_licenses.c.activity_id == Activity.id)
    ids = db.session.scalars(select(Activity.id).where(
        Activity.user_id == user_id, Activity.completed_on >= row.cycle_start,
        Activity.completed_on <= row.renewal_deadline, ~linked.exists())).all()
    if ids:
        db.session.execute(activity_licenses.insert(), [{"activity_id": i, "license_id": license.id} for i in ids])


def delete_license(user_id: int, license: License) -> None:
    """Deletes the license and its cycles; the activities stay, counted toward nothing else."""
    audit.record(f"user:{user_id}", "license_deleted", f"license:{license.id}", user_id=user_id)
    db.session.delete(license)
    db.session.commit()
    bump_progress_version(user_id)


@dataclass(frozen=True)
class RenewalPlan:
    """What recording a renewal would do: the next cycle's dates and what it carries."""

    cycle_id: int
    progress: CycleProgress
    next_start: date
    next_deadline: date | None  # None: the rule set does not say how long a cycle is
    carried_hours: Decimal
    last_met_cycle: dict[str, int]
    met: tuple[str, ...]  # requirements met, in words


def renewal_plan(license: License, row: LicenseCycle, activities: list[Activity], today: date) -> RenewalPlan:
    rule_set = rule_set_of(license)
    progress = progress_of(license, row, activities, today)
    closing = engine_cycle(license, row)
    try:
        following, deadline_known = next_cycle(closing, rule_set, progress), True
    except UnknownCycleLength:
        # Everything but the deadline is still known: compute it with a stand-in length.
        stand_in = dataclasses.replace(rule_set, cycle=dataclasses.replace(rule_set.cycle, years=1))
        following, deadline_known = next_cycle(closing, stand_in, progress), False
    met = [f"{topic.label}: {hours_text(topic.counted)}" for topic in progress.topics if topic.met]
    if progress.remaining_hours == 0:
        met.insert(0, f"Total: {hours_text(progress.counted_hours)} of {hours_text(progress.required_total)}")
    return RenewalPlan(cycle_id=row.id, progress=progress, next_start=following.cycle_start,
                       next_deadline=following.renewal_deadline if deadline_known else None,
                       carried_hours=following.carried_in_hours, last_met_cycle=dict(following.last_met_cycle),
                       met=tuple(met))


def record_renewal(user_id: int, license: License, row: LicenseCycle, plan: RenewalPlan, *,
                   renewed_on: date, next_deadline: date) -> LicenseCycle:
    """Closes the cycle and opens the next one; the closed one stays viewable with its activities."""
    row.renewed_on = renewed_on
    following = LicenseCycle(user_id=user_id, cycle_start=plan.next_start, renewal_deadline=next_deadline,
                             cycle_number=row.cycle_number + 1, carried_in_hours=plan.carried_hours,
                             is_first_renewal=False, last_met_cycle=plan.last_met_cycle)
    license.cycles.append(following)
    db.session.flush()
    audit.record(f"user:{user_id}", "license_renewed", f"license:{license.id}", user_id=user_id,
                 closed_cycle=row.id, opened_cycle=following.id, carried_hours=str(plan.carried_hours))
    db.session.commit()
    bump_progress_version(user_id)
    return following
