"""Licenses and activities put straight into the database, for page tests that need figures."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

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


class _FormReader(HTMLParser):
    """The fields a browser would send from the first form whose action matches, as typed."""

    def __init__(self, action: str):
        super().__init__()
        self.action, self.inside, self.done = action, False, False
        self.fields: dict[str, str] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.done and a.get("method") == "post" and a.get("action") == self.action:
            self.inside = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields[name] = a.get("value", "y")
            elif kind != "submit":
                self.fields[name] = a.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "form" and self.inside:
            self.inside, self.done = False, True


def form_fields(html: str, action: str) -> dict[str, str]:
    reader = _FormReader(action)
    reader.feed(html)
    assert reader.done, f"no form posting to {action}"
    return reader.fields
