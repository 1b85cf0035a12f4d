"""One activity's life on a 390 px phone, with JavaScript on and off: logged toward two licenses
(both ticked by default), edited (in its row with htmx, on its page without), deleted after a
confirmation, then a CSV file imported with a refused row. No step may scroll sideways."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.e2e.conftest import no_horizontal_scroll, screenshot

PHONE = {"width": 390, "height": 844}
DONE = date.today() - timedelta(days=5)
LICENSES = [("LPC", "Licensed Professional Counselor", "Texas BHEC"),
            ("LMHC", "Licensed Mental Health Counselor", "New York State Education Department")]


def _seed_licenses(dbs, email: str) -> list[int]:
    """Two licenses whose open cycles both hold DONE, as the licenses pages would save them."""
    from app.auth.models import User
    from app.licenses.models import License, LicenseCycle
    user = dbs.scalar(select(User).where(User.email == email))
    ids = []
    for credential, profession, board in LICENSES:
        lic = License(user_id=user.id, profession=profession, credential=credential, issuing_body=board, rules={})
        lic.cycles = [LicenseCycle(user_id=user.id, cycle_start=date.today() - timedelta(days=200),
                                   renewal_deadline=date.today() + timedelta(days=500))]
        dbs.add(lic)
        dbs.commit()
        ids.append(lic.id)
    return ids


def _saved(dbs, email: str):
    from app.activities.models import Activity
    from app.auth.models import User
    dbs.expire_all()
    user = dbs.scalar(select(User).where(User.email == email))
    return dbs.scalars(select(Activity).where(Activity.user_id == user.id).order_by(Activity.id)).all()


def _step(page, name: str) -> None:
    assert no_horizontal_scroll(page), name
    screenshot(page, name)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_an_activity_toward_two_licenses_on_a_phone(new_page, browser_auth, dbs, tmp_path, javascript):
    mode = "js" if javascript else "nojs"
    email = f"journey-{mode}@example.com"
    page = new_page(javascript=javascript, phone=True)
    page.set_viewport_size(PHONE)
    browser_auth.sign_up(page, email, "Jo Journey")
    lpc, lmhc = _seed_licenses(dbs, email)

    # Log: both licenses' cycles hold the date, so both start ticked.
    page.goto("/activities/new")
    assert page.is_checked("label:has-text('LPC, Texas BHEC') input")
    assert page.is_checked("label:has-text('LMHC, New York State Education Department') input")
    assert "No client information." in page.inner_text("main")
    page.fill("#title", "Ethics across state lines")
    page.fill("#provider", "Counselor CE <Co>")
    page.fill("#approval_body", "NBCC")
    page.fill("#approval_number", "=NB-77")
    page.fill("#completed_on", DONE.isoformat())
    page.fill("#amount", "0.3")
    page.select_option("#unit", "ceus")
    page.select_option("#format", "live_online")
    page.select_option("#topics-0-topic", "ethics")
    page.fill("#topics-0-amount", "0.2")
    page.fill("#notes", "Handout in my binder.")
    _step(page, f"journey-log-{mode}")
    page.click("button:has-text('Save activity')")
    page.wait_for_url(re.compile(r".*/activities/\d+$"))
    main = page.inner_text("main")
    assert "3 hours" in main and "Ethics: 2" in main and "Counselor CE <Co>" in main and "=NB-77" in main
    assert "LPC, Texas BHEC" in main and "LMHC, New York State Education Department" in main
    assert "Upload its certificate" in main
    _step(page, f"journey-show-{mode}")
    [activity] = _saved(dbs, email)
    assert sorted(lic.id for lic in activity.licenses) == sorted([lpc, lmhc])
    assert activity.hours == 3 and activity.approval_number == "=NB-77"

    # Edit: in the list row with htmx, on the edit page without JavaScript.
    page.goto("/activities")
    _step(page, f"journey-list-{mode}")
    page.locator(f"#activity-{activity.id}").get_by_role("link", name="Edit").click()
    if javascript:
        page.wait_for_selector(f"#activity-{activity.id}.editing-row form")
        assert page.url.endswith("/activities")
        prefix = f"#activity-{activity.id}-"
    else:
        page.wait_for_url(f"**/activities/{activity.id}/edit")
        prefix = "#"
    _step(page, f"journey-edit-{mode}")
    page.fill(prefix + "title", "Ethics across state lines, part 2")
    page.uncheck("label:has-text('LMHC, New York State Education Department') input")
    page.locator("button:has-text('Save changes')").click()
    if javascript:
        page.wait_for_selector(f"#activity-{activity.id}:not(.editing-row) >> text=part 2")
        assert "Saved “Ethics across state lines, part 2”." in page.inner_text("#messages")
    else:
        page.wait_for_url(f"**/activities/{activity.id}")
    [activity] = _saved(dbs, email)
    assert activity.title.endswith("part 2") and [lic.id for lic in activity.licenses] == [lpc]
    _step(page, f"journey-edited-{mode}")

    # Delete, after a confirmation (in the row with htmx, on a page without).
    page.goto("/activities")
    page.locator(f"#activity-{activity.id}").get_by_role("link", name="Delete").click()
    if javascript:
        page.wait_for_selector(f"#activity-{activity.id}.confirm-row")
        _step(page, f"journey-confirm-delete-{mode}")
        assert _saved(dbs, email) != []
        page.click(f"#activity-{activity.id} button:has-text('Delete')")
        page.wait_for_selector(f"#activity-{activity.id}", state="detached")
    else:
        page.wait_for_url(f"**/activities/{activity.id}/delete")
        _step(page, f"journey-confirm-delete-{mode}")
        assert _saved(dbs, email) != []
        page.click("button:has-text('Delete the activity')")
        page.wait_for_url("**/activities")
    assert "Deleted “Ethics across state lines, part 2”." in page.inner_text("#messages")
    assert _saved(dbs, email) == []

    # Import: map, preview with a per-row error, nothing saved until confirmed.
    csv_file = tmp_path / "ce-log.csv"
    csv_file.write_text("Course,Date,CEUs,Delivery,Topics,Notes\n"
                        f"Suicide prevention,{DONE.month}/{DONE.day}/{DONE.year},0.6,Webinar,suicide_prevention:0.6,"
                        "@SUM(1)\n"
                        f"Next month's course,{(date.today() + timedelta(days=30)).isoformat()},0.2,Self-study,,\n")
    page.goto("/activities/import")
    page.set_input_files("#file", str(csv_file))
    page.click("button:has-text('Upload and choose columns')")
    page.wait_for_selector("h1:has-text('Which column is which?')")
    _step(page, f"journey-import-columns-{mode}")
    page.click("button:has-text('Check the rows')")
    page.wait_for_selector("h1:has-text('Check the rows before importing')")
    preview = page.inner_text("main")
    assert "The completion date cannot be in the future." in preview and "Nothing is saved until" in preview
    assert _saved(dbs, email) == []
    _step(page, f"journey-import-preview-{mode}")
    page.click("button:has-text('Import 1 activity')")
    page.wait_for_url("**/activities")
    assert "Imported 1 activity. Skipped 1 row with errors (line 3)." in page.inner_text("#messages")
    [imported] = _saved(dbs, email)
    assert imported.hours == 6 and imported.notes == "@SUM(1)"
    assert sorted(lic.id for lic in imported.licenses) == sorted([lpc, lmhc])
    _step(page, f"journey-imported-{mode}")
