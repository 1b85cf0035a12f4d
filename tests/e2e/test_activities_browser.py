"""Activities in Chromium: logging one with JavaScript on and off and at phone width, inline edit and
delete with htmx, and the search form with JavaScript off and on."""
from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.e2e.conftest import no_horizontal_scroll, screenshot, serious_axe_violations

PAST = date.today() - timedelta(days=12)


def _add(app, email: str, *specs: dict) -> list[int]:
    """Activities saved through the service for the account of this address (the browser signed it up)."""
    from app import db
    from app.activities.rules import ActivityData
    from app.activities.service import create_activity
    from app.auth.models import User
    ids = []
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.email == email))
        for spec in specs:
            values = {"completed_on": PAST, "hours": Decimal(2), "format": "live"} | spec
            ids.append(create_activity(user, ActivityData(**values)).id)
    return ids


def _titles(dbs) -> list[str]:
    from app.activities.models import Activity
    dbs.expire_all()
    return sorted(dbs.scalars(select(Activity.title)).all())


def _fill_activity(page, title: str):
    page.fill("#title", title)
    page.fill("#provider", "Counseling Academy")
    page.fill("#completed_on", PAST.isoformat())
    page.fill("#amount", "0.3")
    page.select_option("#unit", "ceus")
    page.select_option("#format", "live_online")
    page.select_option("#topics-0-topic", "ethics")
    page.fill("#topics-0-amount", "0.2")
    page.select_option("#topics-1-topic", "general")
    page.fill("#topics-1-amount", "0.1")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_log_an_activity(new_page, browser_auth, dbs, javascript):
    page = new_page(javascript=javascript)
    email = f"log-{'js' if javascript else 'nojs'}@example.com"
    browser_auth.sign_up(page, email, "Lee Logger")
    page.goto("/activities")
    assert "No activities yet" in page.content()
    page.click("text=Log your first activity")
    page.wait_for_url("**/activities/new")
    _fill_activity(page, "Ethics & the law")
    page.fill("#completed_on", (date.today() + timedelta(days=3)).isoformat())
    page.click("button:has-text('Save activity')")
    page.wait_for_selector("#completed_on-error")
    assert "The completion date cannot be in the future." in page.content()
    assert _titles(dbs) == []
    screenshot(page, f"activity-form-errors-{'js' if javascript else 'nojs'}")
    page.fill("#completed_on", PAST.isoformat())
    page.click("button:has-text('Save activity')")
    page.wait_for_url(re.compile(r".*/activities/\d+$"))
    page.wait_for_selector("text=Logged “Ethics & the law”.")
    text = page.inner_text("main")
    assert "3 hours" in text and "Ethics: 2" in text and "General: 1" in text and "Live online" in text
    screenshot(page, f"activity-show-{'js' if javascript else 'nojs'}")
    assert _titles(dbs) == ["Ethics & the law"]


def test_log_an_activity_at_phone_width(new_page, browser_auth, app, dbs):
    page = new_page(phone=True)
    browser_auth.sign_up(page, "phone-log@example.com", "Pat Phone")
    page.goto("/activities")
    assert no_horizontal_scroll(page)
    page.click("text=Log an activity")
    page.wait_for_url("**/activities/new")
    assert no_horizontal_scroll(page)
    screenshot(page, "activity-new-phone")
    _fill_activity(page, "A rather long activity title about telehealth ethics across state lines")
    page.click("button:has-text('Save activity')")
    page.wait_for_url(re.compile(r".*/activities/\d+$"))
    assert no_horizontal_scroll(page)
    _add(app, "phone-log@example.com", {"title": "Supervision workshop", "provider": "State association",
                                        "topics": {"supervision": Decimal(2)}})
    page.goto("/activities")
    assert no_horizontal_scroll(page)
    screenshot(page, "activities-phone")
    page.click("#activity-search button[type=submit]")
    assert no_horizontal_scroll(page)


def test_inline_edit_and_delete_with_javascript(new_page, browser_auth, app, dbs):
    page = new_page()
    browser_auth.sign_up(page, "inline@example.com", "Ian Inline")
    first, second = _add(app, "inline@example.com", {"title": "Boundaries basics"},
                         {"title": "Risk in telehealth", "completed_on": PAST - timedelta(days=3)})
    page.goto("/activities")
    row = page.locator(f"#activity-{first}")
    row.locator("text=Edit").click()
    page.wait_for_selector(f"#activity-{first}.editing-row form")
    assert page.url.endswith("/activities")
    screenshot(page, "activity-inline-edit")
    page.fill(f"#activity-{first}-amount", "0")
    page.click(f"#activity-{first} button:has-text('Save changes')")
    page.wait_for_selector(f"#activity-{first}-amount-error")
    page.fill(f"#activity-{first}-title", "Boundaries, revisited")
    page.fill(f"#activity-{first}-amount", "2.5")
    page.click(f"#activity-{first} button:has-text('Save changes')")
    page.wait_for_selector(f"#activity-{first}:not(.editing-row) >> text=Boundaries, revisited")
    assert "Saved “Boundaries, revisited”." in page.inner_text("#messages")
    assert page.inner_text(f"#activity-{first} td[data-label=Hours]").strip() == "2.5"
    page.locator(f"#activity-{second}").locator("text=Delete").click()
    page.wait_for_selector(f"#activity-{second}.confirm-row")
    screenshot(page, "activity-inline-delete-confirm")
    page.click(f"#activity-{second} button:has-text('Delete')")
    page.wait_for_selector(f"#activity-{second}", state="detached")
    assert "Deleted “Risk in telehealth”." in page.inner_text("#messages")
    assert _titles(dbs) == ["Boundaries, revisited"]
    assert page.url.endswith("/activities")


def test_edit_and_delete_without_javascript(new_page, browser_auth, app, dbs):
    page = new_page(javascript=False)
    browser_auth.sign_up(page, "plain@example.com", "Paula Plain")
    [activity_id] = _add(app, "plain@example.com", {"title": "Cultural humility"})
    page.goto("/activities")
    page.locator(f"#activity-{activity_id}").locator("text=Edit").click()
    page.wait_for_url(f"**/activities/{activity_id}/edit")
    page.fill("#title", "Cultural humility in practice")
    page.click("button:has-text('Save changes')")
    page.wait_for_url(f"**/activities/{activity_id}")
    page.goto("/activities")
    page.locator(f"#activity-{activity_id}").locator("text=Delete").click()
    page.wait_for_url(f"**/activities/{activity_id}/delete")
    screenshot(page, "activity-confirm-delete-nojs")
    page.click("button:has-text('Delete the activity')")
    page.wait_for_url("**/activities")
    assert "Deleted “Cultural humility in practice”." in page.content()
    assert _titles(dbs) == []


def test_search_form_without_javascript(new_page, browser_auth, app):
    page = new_page(javascript=False)
    browser_auth.sign_up(page, "search-plain@example.com", "Sam Search")
    _add(app, "search-plain@example.com", {"title": "Ethics refresher", "topics": {"ethics": Decimal(2)}},
         {"title": "Pharmacology update", "format": "self_study"},
         {"title": "Ethics in supervision", "format": "self_study", "topics": {"ethics": Decimal(1)}})
    page.goto("/activities")
    page.fill("#filter-q", "ETHICS")
    page.select_option("#filter-format", "self_study")
    page.click("#activity-search button[type=submit]")
    page.wait_for_url(re.compile(r".*/activities\?q=ETHICS&.*format=self_study"))
    titles = page.locator("td.title-cell a").all_inner_texts()
    assert titles == ["Ethics in supervision"]
    screenshot(page, "activities-search-nojs")


def test_search_with_javascript_updates_results_and_address(new_page, browser_auth, app):
    page = new_page()
    browser_auth.sign_up(page, "search-js@example.com", "Jo Search")
    _add(app, "search-js@example.com", {"title": "Ethics refresher"}, {"title": "Pharmacology update"})
    page.goto("/activities")
    page.locator("#filter-q").press_sequentially("pharma")
    expect(page).to_have_url(re.compile(r".*/activities\?q=pharma&"))
    expect(page.locator("td.title-cell a")).to_have_count(1)
    assert page.locator("td.title-cell a").all_inner_texts() == ["Pharmacology update"]
    page.select_option("#filter-sort", "title")
    expect(page).to_have_url(re.compile(r".*sort=title"))
    page.locator("#filter-q").fill("")
    page.locator("#filter-q").press("Backspace")
    expect(page.locator("td.title-cell a")).to_have_count(2)
    screenshot(page, "activities-search-js")
    with page.expect_download() as download:
        page.click("text=Download all as CSV")
    assert download.value.suggested_filename.startswith("ce-activities-")
    assert "Pharmacology update" in open(download.value.path(), encoding="utf-8-sig").read()


def test_ticked_licenses_follow_the_completion_date_with_javascript(new_page, browser_auth, app, dbs):
    from app.auth.models import User
    from app.licenses.models import License, LicenseCycle
    page = new_page()
    browser_auth.sign_up(page, "licensed@example.com", "Lin Licensed")
    user = dbs.scalar(select(User).where(User.email == "licensed@example.com"))
    lpc = License(user_id=user.id, profession="Counselor", credential="LPC", issuing_body="Texas BHEC", rules={})
    lpc.cycles = [LicenseCycle(user_id=user.id, cycle_start=date.today() - timedelta(days=30),
                               renewal_deadline=date.today() + timedelta(days=700))]
    dbs.add(lpc)
    dbs.commit()
    page.goto("/activities/new")
    box = page.get_by_label("LPC, Texas BHEC")
    expect(box).to_be_checked()
    page.fill("#completed_on", (date.today() - timedelta(days=90)).isoformat())
    page.dispatch_event("#completed_on", "change")
    expect(page.get_by_label("LPC, Texas BHEC")).not_to_be_checked()
    page.fill("#completed_on", (date.today() - timedelta(days=2)).isoformat())
    page.dispatch_event("#completed_on", "change")
    expect(page.get_by_label("LPC, Texas BHEC")).to_be_checked()
    screenshot(page, "activity-new-with-license")


def test_activity_pages_have_no_serious_accessibility_violations(new_page, browser_auth, app):
    page = new_page()
    browser_auth.sign_up(page, "axe-activities@example.com", "Axe Activities")
    [activity_id] = _add(app, "axe-activities@example.com", {"title": "Ethics"})
    for path in ["/activities", "/activities/new", f"/activities/{activity_id}", f"/activities/{activity_id}/edit",
                 f"/activities/{activity_id}/delete", "/activities/import"]:
        page.goto(path)
        assert serious_axe_violations(page) == [], path


def test_import_a_csv_file_without_javascript(new_page, browser_auth, dbs, tmp_path):
    page = new_page(javascript=False)
    browser_auth.sign_up(page, "importer@example.com", "Ivy Import")
    csv_file = tmp_path / "my-ce.csv"
    csv_file.write_text("Course,Completed,CE Hours,Delivery,Topics\n"
                        f"Ethics update,{PAST.month}/{PAST.day}/{PAST.year},3,Webinar,ethics:2; general:1\n"
                        f"Future course,{(date.today() + timedelta(days=9)).isoformat()},2,Self-study,\n")
    page.goto("/activities")
    page.click("text=Import a CSV file")
    page.set_input_files("#file", str(csv_file))
    page.click("button:has-text('Upload and choose columns')")
    page.wait_for_selector("h1:has-text('Which column is which?')")
    screenshot(page, "activities-import-columns")
    page.click("button:has-text('Check the rows')")
    page.wait_for_selector("h1:has-text('Check the rows before importing')")
    assert "The completion date cannot be in the future." in page.inner_text("main")
    assert _titles(dbs) == []
    screenshot(page, "activities-import-preview")
    page.click("button:has-text('Import 1 activity')")
    page.wait_for_url("**/activities")
    assert "Imported 1 activity. Skipped 1 row with errors (line 3)." in page.inner_text("#messages")
    assert _titles(dbs) == ["Ethics update"]
