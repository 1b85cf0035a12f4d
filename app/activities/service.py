"""Activities as the rest of the app uses them: owned look-ups, create, update, delete, import.

Every change is committed here, audited, and announced through `activities_changed` (a blinker
signal, sent with `user_id=`) so that cached progress elsewhere can be dropped.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import audit, db
from app.activities.models import Activity, ActivityTopic
from app.activities.rules import ActivityData, problems, tidy
from app.activities.signals import activities_changed
from app.licenses.models import License
from app.timezones import user_today

EDITABLE = ("title", "provider", "approval_body", "approval_number", "started_on", "completed_on", "hours",
            "format", "notes")


class ActivityInvalid(ValueError):
    """Raised when data given to the service breaks a rule; `errors` maps field names to messages."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def owned_activity_or_404(user_id: int, activity_id: int) -> Activity:
    """The user's activity with its topics and licenses; 404 for anyone else's id or a missing one."""
    activity = db.session.scalar(
        select(Activity).where(Activity.id == activity_id, Activity.user_id == user_id)
        .options(selectinload(Activity.topics), selectinload(Activity.licenses)))
    if activity is None:
        abort(404)
    return activity


def user_licenses(user_id: int) -> list[License]:
    """The user's licenses with their cycles, in a stable order for checkboxes and filters."""
    return list(db.session.scalars(
        select(License).where(License.user_id == user_id).options(selectinload(License.cycles))
        .order_by(License.profession, License.id)))


def license_name(license_: License) -> str:
    """A short name people recognise: "LPC, Texas BHEC"."""
    head = license_.credential or license_.profession
    return f"{head}, {license_.issuing_body}" if license_.issuing_body else head


def default_license_ids(user_id: int, completed_on: date | None) -> list[int]:
    """The licenses whose open renewal cycle (not yet renewed) holds the completion date."""
    return defaults_among(user_licenses(user_id), completed_on)


def defaults_among(licenses: list[License], completed_on: date | None) -> list[int]:
    """default_license_ids for licenses already loaded with their cycles (no query)."""
    if completed_on is None:
        return []
    return sorted(lic.id for lic in licenses if any(
        cycle.renewed_on is None and cycle.cycle_start <= completed_on <= cycle.renewal_deadline
        for cycle in lic.cycles))


def follow_defaults(user_id: int, checked: list[int], defaults_for: date | None,
                    completed_on: date | None) -> list[int]:
    """The checked licenses, unless they are still the defaults shown for another date: then the
    defaults for the date now given (the person changed the date, not the licenses)."""
    if defaults_for is None or completed_on is None or defaults_for == completed_on:
        return checked
    if sorted(checked) == default_license_ids(user_id, defaults_for):
        return default_license_ids(user_id, completed_on)
    return checked


def _as_data(data: ActivityData | Mapping) -> ActivityData:
    return data if isinstance(data, ActivityData) else ActivityData(**dict(data))


def _check(user, data: ActivityData) -> None:
    errors = problems(data, user_today(user))
    if errors:
        raise ActivityInvalid(errors)


def _apply(activity: Activity, data: ActivityData, licenses: list[License]) -> None:
    """Copies the data onto the activity; `licenses` are the user's own, so no other id can be linked."""
    activity.title = data.title.strip()
    activity.provider = tidy(data.provider)
    activity.approval_body = tidy(data.approval_body)
    activity.approval_number = tidy(data.approval_number)
    activity.started_on = data.started_on
    activity.completed_on = data.completed_on
    activity.hours = Decimal(data.hours).quantize(Decimal("0.01"))
    activity.format = data.format
    activity.notes = tidy(data.notes)
    wanted = {key: Decimal(hours).quantize(Decimal("0.01")) for key, hours in data.topics.items()}
    kept = []
    for row in activity.topics:
        if row.topic in wanted:
            row.hours = wanted.pop(row.topic)
            kept.append(row)
    activity.topics = kept + [ActivityTopic(topic=key, hours=hours) for key, hours in sorted(wanted.items())]
    ids = set(data.license_ids if data.license_ids is not None else defaults_among(licenses, data.completed_on))
    activity.licenses = [lic for lic in licenses if lic.id in ids]


def _announce(user_id: int) -> None:
    activities_changed.send(user_id=user_id)


def create_activity(user, data: ActivityData | Mapping) -> Activity:
    """Saves a new activity for the user (never for anyone else, whatever the data says)."""
    data = _as_data(data)
    _check(user, data)
    activity = Activity(user_id=user.id)
    activity.topics = []
    _apply(activity, data, user_licenses(user.id))
    db.session.add(activity)
    db.session.flush()
    audit.record(f"user:{user.id}", "activity_created", f"activity:{activity.id}", user_id=user.id,
                 hours=str(activity.hours), completed_on=activity.completed_on.isoformat())
    db.session.commit()
    _announce(user.id)
    return activity


def update_activity(user, activity: Activity, data: ActivityData | Mapping) -> Activity:
    """Replaces the activity's fields, topics and licenses with the data given."""
    if activity.user_id != user.id:
        abort(404)
    data = _as_data(data)
    _check(user, data)
    before = _snapshot(activity)
    _apply(activity, data, user_licenses(user.id))
    changed = sorted(name for name, value in _snapshot(activity).items() if before[name] != value)
    audit.record(f"user:{user.id}", "activity_updated", f"activity:{activity.id}", user_id=user.id,
                 changed=changed)
    db.session.commit()
    _announce(user.id)
    return activity


def _snapshot(activity: Activity) -> dict:
    values = {name: getattr(activity, name) for name in EDITABLE}
    values["hours"] = Decimal(values["hours"]).quantize(Decimal("0.01")) if values["hours"] is not None else None
    values["topics"] = sorted((t.topic, Decimal(t.hours).quantize(Decimal("0.01"))) for t in activity.topics)
    values["licenses"] = sorted(lic.id for lic in activity.licenses)
    return values


def delete_activity(user, activity: Activity, *, delete_certificates: bool = False) -> int:
    """Deletes the activity; its certificates stay, released from it, unless asked to go too.

    Returns how many certificates it had. Their rows change in the same transaction as the
    activity's; a deleted certificate's file goes after the commit, when nothing else refers to it.
    """
    if activity.user_id != user.id:
        abort(404)
    activity_id = activity.id
    from app.certificates.deletion import release_for_activity  # certificates import activities
    released = release_for_activity(activity_id, delete_certificates=delete_certificates)
    audit.record(f"user:{user.id}", "activity_deleted", f"activity:{activity_id}", user_id=user.id,
                 hours=str(activity.hours), completed_on=activity.completed_on.isoformat(),
                 certificates="deleted" if released.deleted else "kept", certificate_count=released.count)
    db.session.delete(activity)
    db.session.commit()
    released.remove_files()
    _announce(user.id)
    return released.count


def certificate_count(user_id: int, activity_id: int) -> int:
    """How many certificates are attached to the activity (its delete page asks what to do with them)."""
    from app.certificates.deletion import certificate_count as count
    return count(user_id, activity_id)


def import_activities(user, rows: list[ActivityData], *, source: str = "csv") -> list[Activity]:
    """Saves checked rows in one transaction: all of them or, if one breaks a rule, none."""
    if not rows:
        return []
    today = user_today(user)
    for number, data in enumerate(rows, start=1):
        errors = problems(data, today)
        if errors:
            raise ActivityInvalid({f"row {number} {k}": v for k, v in errors.items()})
    created = []
    licenses = user_licenses(user.id)
    for data in rows:
        activity = Activity(user_id=user.id)
        activity.topics = []
        _apply(activity, data, licenses)
        db.session.add(activity)
        created.append(activity)
    db.session.flush()
    audit.record(f"user:{user.id}", "activities_imported", None, user_id=user.id, count=len(created),
                 source=source)
    db.session.commit()
    _announce(user.id)
    return created
