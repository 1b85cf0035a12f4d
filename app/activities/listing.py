"""Searching, filtering, sorting and paging a user's activities.

The filters come from a GET query string and are forgiving: a value that makes no sense is
dropped, never an error, so a hand-edited or stale URL still shows a list.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import Select, extract, func, or_, select
from sqlalchemy.orm import load_only, selectinload

from app import db
from app.activities.models import Activity, ActivityTopic, activity_licenses
from app.activities.vocabulary import FORMATS, TOPICS
from app.licenses.models import License

PAGE_SIZE = 25
SORTS = {"date": "Date", "title": "Title", "hours": "Hours"}
DIRECTIONS = {"desc": "Descending", "asc": "Ascending"}
# What a list shows of a license: its name. Its rule set (a large JSON column) is not read.
LICENSE_NAME = (License.id, License.user_id, License.profession, License.credential, License.issuing_body)


@dataclass(frozen=True)
class ActivityFilters:
    q: str = ""
    license: int | None = None
    topic: str = ""
    format: str = ""
    year: int | None = None
    sort: str = "date"
    dir: str = "desc"
    page: int = 1

    @classmethod
    def from_args(cls, args) -> ActivityFilters:
        """Reads request.args, keeping only values that can mean something."""
        def number(name: str) -> int | None:
            text = (args.get(name) or "").strip()
            return int(text) if text.isdigit() and len(text) < 10 else None

        year = number("year")
        return cls(
            q=(args.get("q") or "").strip()[:200],
            license=number("license"),
            topic=args.get("topic") if args.get("topic") in TOPICS else "",
            format=args.get("format") if args.get("format") in FORMATS else "",
            year=year if year and 1900 <= year <= 9999 else None,
            sort=args.get("sort") if args.get("sort") in SORTS else "date",
            dir=args.get("dir") if args.get("dir") in DIRECTIONS else "desc",
            page=max(1, number("page") or 1),
        )

    @property
    def active(self) -> bool:
        """True when something narrows the list (sorting and paging do not)."""
        return bool(self.q or self.license or self.topic or self.format or self.year)

    def query_args(self, **changes) -> dict:
        """The filters as URL parameters, without the defaults, with some values changed."""
        values = {**asdict(self), **changes}
        defaults = asdict(ActivityFilters())
        return {k: v for k, v in values.items() if v not in (None, "") and v != defaults[k]}


@dataclass
class Page:
    items: list[Activity]
    total: int
    number: int
    pages: int

    @property
    def first_index(self) -> int:
        return (self.number - 1) * PAGE_SIZE + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return min(self.number * PAGE_SIZE, self.total)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def filtered(user_id: int, filters: ActivityFilters) -> Select:
    """The user's activities matching the filters, unsorted."""
    query = select(Activity).where(Activity.user_id == user_id)
    if filters.q:
        pattern = f"%{_escape_like(filters.q)}%"
        query = query.where(or_(*(column.ilike(pattern, escape="\\") for column in (
            Activity.title, Activity.provider, Activity.approval_number))))
    if filters.license:
        query = query.where(Activity.id.in_(
            select(activity_licenses.c.activity_id).where(activity_licenses.c.license_id == filters.license)))
    if filters.topic:
        query = query.where(Activity.id.in_(
            select(ActivityTopic.activity_id).where(ActivityTopic.topic == filters.topic)))
    if filters.format:
        query = query.where(Activity.format == filters.format)
    if filters.year:
        query = query.where(Activity.completed_on >= date(filters.year, 1, 1),
                            Activity.completed_on <= date(filters.year, 12, 31))
    return query


def sorted_query(query: Select, filters: ActivityFilters) -> Select:
    column = {"date": Activity.completed_on, "title": func.lower(Activity.title),
              "hours": Activity.hours}[filters.sort]
    order = column.asc() if filters.dir == "asc" else column.desc()
    tie = Activity.id.asc() if filters.dir == "asc" else Activity.id.desc()
    return query.order_by(order, tie)


def with_details(query: Select) -> Select:
    """Loads topics and license names in one query each, whatever the number of rows."""
    return query.options(selectinload(Activity.topics), selectinload(Activity.licenses).load_only(*LICENSE_NAME))


def license_names(user_id: int) -> list[License]:
    """The user's licenses for the license filter, names only (no rule sets, no cycles)."""
    return list(db.session.scalars(select(License).where(License.user_id == user_id)
                                   .options(load_only(*LICENSE_NAME)).order_by(License.profession, License.id)))


def search(user_id: int, filters: ActivityFilters) -> Page:
    """One page of matching activities; a page past the end shows the last one."""
    query = filtered(user_id, filters)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, math.ceil(total / PAGE_SIZE))
    number = min(filters.page, pages)
    items = list(db.session.scalars(with_details(sorted_query(query, filters))
                                    .limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)))
    return Page(items=items, total=total, number=number, pages=pages)


def all_matching(user_id: int, filters: ActivityFilters) -> list[Activity]:
    """Every matching activity in the chosen order (for the CSV export)."""
    return list(db.session.scalars(with_details(sorted_query(filtered(user_id, filters), filters))))


def activity_years(user_id: int) -> list[int]:
    """The years the user has activities in, newest first (the year filter's choices)."""
    year = extract("year", Activity.completed_on)
    return sorted({int(y) for y in db.session.scalars(
        select(year).where(Activity.user_id == user_id).distinct())}, reverse=True)


def has_any(user_id: int) -> bool:
    return db.session.scalar(select(Activity.id).where(Activity.user_id == user_id).limit(1)) is not None
