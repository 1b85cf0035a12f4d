"""What the activity list page shows, as plain values cached until the user's data changes.

The list is the page people open most after the dashboard, and it read the same rows on every
request. Its figures are cached the way the dashboard's progress is (app/licenses/progress_cache:
keyed by the user's data version, which every activity and license write bumps), per filter
set, so a warm request runs no query of its own. Values are frozen dataclasses, never ORM
rows, so one can be kept across requests and threads; the row template reads the same
attribute names from them as from an `Activity`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.activities.listing import ActivityFilters, Page, activity_years, has_any, license_names, search
from app.licenses.progress_cache import cached


@dataclass(frozen=True)
class ListedLicense:
    id: int
    profession: str
    credential: str | None
    issuing_body: str


@dataclass(frozen=True)
class ListedTopic:
    topic: str
    hours: Decimal


@dataclass(frozen=True)
class ListedActivity:
    id: int
    title: str
    provider: str | None
    started_on: date | None
    completed_on: date
    hours: Decimal
    format: str
    topics: tuple[ListedTopic, ...]
    licenses: tuple[ListedLicense, ...]


@dataclass(frozen=True)
class ListPage:
    page: Page
    anything: bool  # the user has logged at least one activity (else the first-time empty state)
    licenses: tuple[ListedLicense, ...]  # the license filter's choices
    years: tuple[int, ...]  # the year filter's choices, newest first


def _license(row) -> ListedLicense:
    return ListedLicense(row.id, row.profession, row.credential, row.issuing_body)


def _activity(row) -> ListedActivity:
    return ListedActivity(
        id=row.id, title=row.title, provider=row.provider, started_on=row.started_on,
        completed_on=row.completed_on, hours=row.hours, format=row.format,
        topics=tuple(ListedTopic(t.topic, t.hours) for t in row.topics),
        licenses=tuple(_license(lic) for lic in row.licenses))


def _compute(user_id: int, filters: ActivityFilters) -> ListPage:
    found = search(user_id, filters)
    page = Page(items=[_activity(a) for a in found.items], total=found.total, number=found.number,
                pages=found.pages)
    return ListPage(page=page, anything=bool(page.total) or has_any(user_id),
                    licenses=tuple(_license(lic) for lic in license_names(user_id)),
                    years=tuple(activity_years(user_id)))


def list_page(user_id: int, filters: ActivityFilters, today: date) -> ListPage:
    """The list page's values for these filters (cached until the user's data changes)."""
    return cached(("activity-list", filters), user_id, today, lambda: _compute(user_id, filters))
