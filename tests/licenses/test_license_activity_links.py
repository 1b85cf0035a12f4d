"""Where licenses and activities meet: each page links to the other, and the nav leads to both."""
from __future__ import annotations

import re
from datetime import date, timedelta

from tests.licenses.helpers import add_activity, add_license

TODAY = date.today()


def test_the_license_page_lists_what_was_logged_in_the_cycle_with_links(user_client, dbs):
    uid = user_client.user.id
    tx = add_license(dbs, uid, "tx-lpc", start=TODAY - timedelta(days=300), deadline=TODAY + timedelta(days=300))
    ny = add_license(dbs, uid, "ny-lmhc", start=TODAY - timedelta(days=30), deadline=TODAY + timedelta(days=900),
                     issuing_body="New York")
    ethics = add_activity(dbs, uid, [tx, ny], hours="3", topics={"ethics": "2"}, title="Ethics <live>",
                          completed_on=TODAY - timedelta(days=10))
    reading = add_activity(dbs, uid, [tx], hours="2", fmt="self_study", title="Reading",
                           completed_on=TODAY - timedelta(days=200))
    add_activity(dbs, uid, [tx], hours="1", title="Before the cycle", completed_on=TODAY - timedelta(days=400))
    add_activity(dbs, uid, [ny], hours="1", title="Only for New York", completed_on=TODAY - timedelta(days=5))

    page = user_client.get(f"/licenses/{tx.id}").get_data(as_text=True)
    assert "Logged toward it in this cycle (2)" in page
    links = re.findall(r'<li><a href="/activities/(\d+)">([^<]*)</a>', page)
    assert links == [(str(ethics.id), "Ethics &lt;live&gt;"), (str(reading.id), "Reading")]  # newest first, escaped
    assert "3 h · In person · Ethics 2 h" in page
    assert "Before the cycle" not in page and "Only for New York" not in page
    assert f'href="/licenses/{tx.id}/cycles/{tx.cycles[0].id}">This cycle in detail</a>' in page

    cycle_page = user_client.get(f"/licenses/{tx.id}/cycles/{tx.cycles[0].id}").get_data(as_text=True)
    assert f'<a href="/activities/{ethics.id}">Ethics &lt;live&gt;</a>' in cycle_page
    assert f'<a href="/activities/{reading.id}">Reading</a>' in cycle_page


def test_a_license_with_nothing_logged_says_so(user_client, dbs):
    tx = add_license(dbs, user_client.user.id, "tx-lpc", start=TODAY - timedelta(days=30),
                     deadline=TODAY + timedelta(days=300))
    page = user_client.get(f"/licenses/{tx.id}").get_data(as_text=True)
    assert "Logged toward it in this cycle (0)" in page
    assert "Nothing logged toward this license in this cycle yet." in page
    assert '<a href="/activities/new">Log an activity</a>' in page


def test_the_activity_page_links_the_licenses_it_counts_toward(user_client, dbs):
    uid = user_client.user.id
    tx = add_license(dbs, uid, "tx-lpc", start=TODAY - timedelta(days=30), deadline=TODAY + timedelta(days=300))
    ny = add_license(dbs, uid, "ny-lmhc", start=TODAY - timedelta(days=30), deadline=TODAY + timedelta(days=900),
                     issuing_body="New York")
    activity = add_activity(dbs, uid, [tx, ny], hours="3", completed_on=TODAY - timedelta(days=3))
    page = user_client.get(f"/activities/{activity.id}").get_data(as_text=True)
    assert f'<a href="/licenses/{tx.id}">LPC, Texas</a>' in page
    assert f'<a href="/licenses/{ny.id}">LMHC, New York</a>' in page


def test_the_nav_leads_to_licenses_and_activities(user_client):
    page = user_client.get("/dashboard").get_data(as_text=True)
    nav = re.search(r'<nav aria-label="Main">.*?</nav>', page, re.S).group(0)
    labels = re.findall(r'<li><a href="([^"]+)"[^>]*>([^<]+)</a></li>', nav)
    assert [("/dashboard", "Dashboard"), ("/licenses", "Licenses"), ("/activities", "Activities")] == labels[:3]


def test_activities_logged_before_any_license_count_toward_the_first_one_added(user_client, dbs, app):
    """The dashboard's empty state says: log an activity now and add the license after."""
    uid = user_client.user.id
    inside = add_activity(dbs, uid, [], hours="3", title="Logged first", completed_on=TODAY - timedelta(days=10))
    before = add_activity(dbs, uid, [], hours="2", title="Too early", completed_on=TODAY - timedelta(days=900))
    ny = add_license(dbs, uid, "ny-lmhc", start=TODAY - timedelta(days=100), deadline=TODAY + timedelta(days=900),
                     issuing_body="New York")
    chosen = add_activity(dbs, uid, [ny], hours="1", title="New York only", completed_on=TODAY - timedelta(days=5))

    from tests.licenses.helpers import form_fields
    fields = form_fields(user_client.get("/licenses/new?rule_set=tx-lpc").get_data(as_text=True), "/licenses/new")
    fields.update(cycle_start=(TODAY - timedelta(days=300)).isoformat(),
                  renewal_deadline=(TODAY + timedelta(days=300)).isoformat())
    response = user_client.post("/licenses/new", data=fields, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "License added. 1 activity you logged in this cycle now counts toward it." in page
    dbs.expire_all()
    assert [lic.rule_set_slug for lic in inside.licenses] == ["tx-lpc"]
    assert before.licenses == [] and [lic.id for lic in chosen.licenses] == [ny.id]  # a choice made stays
    assert "Hours counted: <strong>3 of 24 h</strong>" in page
