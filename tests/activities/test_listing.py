"""The activity list: search, filters, sorting, pages, the htmx results fragment, and a query count
that does not grow with the number of activities."""
from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event

DAY = timedelta(days=1)


def titles(html: str) -> list[str]:
    return re.findall(r'<a href="/activities/\d+">([^<]*)</a>', html)


@pytest.fixture
def three(user_client, make_activity, make_license):
    """Three activities of Ann's with different providers, topics, formats, years and licenses."""
    user = user_client.user
    today = date.today()
    lpc = make_license(user, "LPC", today - timedelta(days=900), today + timedelta(days=300))
    lmft = make_license(user, "LMFT", today - timedelta(days=900), today + timedelta(days=300))
    make_activity(user, title="Ethics and Boundaries", provider="PESI", approval_number="ACE-77",
                  completed_on=date(today.year, 1, 15) if today > date(today.year, 1, 15) else today,
                  hours=Decimal(6), format="live", topics={"ethics": Decimal(6)}, license_ids=[lpc])
    make_activity(user, title="Trauma-informed care", provider="Zur Institute", approval_number="Z_100%",
                  completed_on=date(today.year - 1, 6, 1), hours=Decimal("1.5"), format="self_study",
                  topics={"clinical": Decimal("1.5")}, license_ids=[lmft])
    make_activity(user, title="Suicide prevention basics", provider="QPR", completed_on=date(today.year - 2, 3, 3),
                  hours=Decimal(3), format="live_online", topics={"suicide_prevention": Decimal(3)},
                  license_ids=[lpc, lmft])
    return {"lpc": lpc, "lmft": lmft, "year": today.year}


def test_list_is_newest_first_by_default(user_client, three):
    html = user_client.get("/activities").get_data(as_text=True)
    assert titles(html) == ["Ethics and Boundaries", "Trauma-informed care", "Suicide prevention basics"]
    assert '<p role="status">3 activities</p>' in html


@pytest.mark.parametrize("query, expected", [
    ("ethics", ["Ethics and Boundaries"]),
    ("ETHICS", ["Ethics and Boundaries"]),
    ("zur inst", ["Trauma-informed care"]),
    ("ace-77", ["Ethics and Boundaries"]),
    ("100%", ["Trauma-informed care"]),
    ("z_1", ["Trauma-informed care"]),
    ("%", ["Trauma-informed care"]),
    ("_", ["Trauma-informed care"]),
    ("nothing like it", []),
])
def test_search_is_case_insensitive_over_title_provider_and_number(user_client, three, query, expected):
    html = user_client.get("/activities", query_string={"q": query}).get_data(as_text=True)
    assert titles(html) == expected
    if not expected:
        assert "No activities match" in html and 'href="/activities">show every activity' in html


def test_filters_by_license_topic_format_and_year(user_client, three):
    def listed(**args):
        return titles(user_client.get("/activities", query_string=args).get_data(as_text=True))
    assert listed(license=three["lmft"]) == ["Trauma-informed care", "Suicide prevention basics"]
    assert listed(topic="ethics") == ["Ethics and Boundaries"]
    assert listed(format="live_online") == ["Suicide prevention basics"]
    assert listed(year=three["year"] - 1) == ["Trauma-informed care"]
    assert listed(license=three["lpc"], topic="suicide_prevention") == ["Suicide prevention basics"]


def test_nonsense_filters_are_ignored(user_client, three):
    html = user_client.get("/activities?topic=<x>&format=zz&year=abc&sort=evil&dir=up&page=-3&license=1e9")
    assert html.status_code == 200 and len(titles(html.get_data(as_text=True))) == 3


@pytest.mark.parametrize("sort, direction, expected", [
    ("date", "asc", ["Suicide prevention basics", "Trauma-informed care", "Ethics and Boundaries"]),
    ("title", "asc", ["Ethics and Boundaries", "Suicide prevention basics", "Trauma-informed care"]),
    ("title", "desc", ["Trauma-informed care", "Suicide prevention basics", "Ethics and Boundaries"]),
    ("hours", "desc", ["Ethics and Boundaries", "Suicide prevention basics", "Trauma-informed care"]),
    ("hours", "asc", ["Trauma-informed care", "Suicide prevention basics", "Ethics and Boundaries"]),
])
def test_sorting(user_client, three, sort, direction, expected):
    html = user_client.get("/activities", query_string={"sort": sort, "dir": direction}).get_data(as_text=True)
    assert titles(html) == expected


def test_search_form_is_a_get_form_enhanced_by_htmx(user_client, three):
    html = user_client.get("/activities").get_data(as_text=True)
    form = re.search(r'<form method="get" action="/activities" id="activity-search"[^>]*>', html).group(0)
    assert 'hx-get="/activities"' in form and 'hx-target="#activity-results"' in form
    assert 'hx-push-url="true"' in form and "keyup delay:300ms changed" in form and "search" in form


def test_htmx_search_returns_only_the_results_block(user_client, three):
    response = user_client.htmx_get("/activities?q=trauma", target="activity-results")
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="activity-results"') and "<html" not in html
    assert titles(html) == ["Trauma-informed care"]
    assert "HX-Request" in response.headers["Vary"]
    whole = user_client.get("/activities?q=trauma", headers={"HX-Request": "true", "HX-Boosted": "true",
                                                             "HX-Target": "activity-results"})
    assert "<html" in whole.get_data(as_text=True)


def test_pages_of_25_with_links_that_keep_the_filters(user_client, make_activity):
    user = user_client.user
    start = date.today() - timedelta(days=200)
    for n in range(30):
        make_activity(user, title=f"Course {n:02d}", completed_on=start + n * DAY, hours=Decimal(1))
    first = user_client.get("/activities?q=course").get_data(as_text=True)
    assert len(titles(first)) == 25 and titles(first)[0] == "Course 29"
    assert "1–25 of 30" in first and "Page 1 of 2" in first
    assert 'href="/activities?q=course&amp;page=2"' in first
    second = user_client.get("/activities?q=course&page=2").get_data(as_text=True)
    assert titles(second) == [f"Course {n:02d}" for n in range(4, -1, -1)]
    assert 'href="/activities?q=course" rel="prev"' in second
    assert titles(user_client.get("/activities?q=course&page=99").get_data(as_text=True))[-1] == "Course 00"


def test_export_link_carries_the_filters(user_client, three):
    html = user_client.get("/activities?topic=ethics&sort=title").get_data(as_text=True)
    assert 'href="/activities/export.csv?topic=ethics&amp;sort=title"' in html


def _count_queries(app, client, url) -> int:
    engine = app.extensions["db_engine"]
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)


def test_list_query_count_does_not_grow_with_activities(app, user_client, make_activity, make_license):
    user = user_client.user
    licenses = [make_license(user, "LPC"), make_license(user, "LMFT")]

    def add(n):
        for i in range(n):
            make_activity(user, title=f"A{i}", hours=Decimal(2), topics={"ethics": Decimal(1), "law": Decimal(1)},
                          license_ids=licenses)
    add(5)
    few = _count_queries(app, user_client, "/activities")
    add(45)
    many = _count_queries(app, user_client, "/activities")
    assert few == many
    assert _count_queries(app, user_client, "/activities?topic=ethics&license=1") == many


def test_a_warm_list_reads_nothing_and_every_write_shows_at_once(app, user_client, three):
    """The list's values are cached like the dashboard's progress, until an activity or license write."""
    cold = _count_queries(app, user_client, "/activities")
    warm = _count_queries(app, user_client, "/activities")
    assert warm < cold and warm <= 2  # the signed-in user and the policy notice; no activity query
    [first] = re.findall(r'<tr id="activity-(\d+)"', user_client.get("/activities").get_data(as_text=True))[:1]
    edit = user_client.get(f"/activities/{first}/edit").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', edit).group(1)
    changed = user_client.post(f"/activities/{first}/edit", data={
        "csrf_token": token, "title": "Ethics, renamed", "completed_on": date.today().isoformat(), "amount": "2",
        "unit": "hours", "format": "live", "licenses": [str(three["lpc"])]})
    assert changed.status_code == 303
    assert "Ethics, renamed" in titles(user_client.get("/activities").get_data(as_text=True))
    assert user_client.post(f"/activities/{first}/delete", data={"csrf_token": token}).status_code == 303
    assert "Ethics, renamed" not in titles(user_client.get("/activities").get_data(as_text=True))
    # A license added on the license pages joins the license filter at once.
    from tests.licenses.helpers import form_fields
    fields = form_fields(user_client.get("/licenses/new?rule_set=ny-lmhc").get_data(as_text=True), "/licenses/new")
    fields.update(renewal_deadline=(date.today() + timedelta(days=400)).isoformat())
    assert user_client.post("/licenses/new", data=fields).status_code == 303
    assert "LMHC, New York</option>" in user_client.get("/activities").get_data(as_text=True)
