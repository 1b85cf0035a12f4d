"""“Read it for me” in Chromium with no API key: upload a PDF certificate, have it read by the local
parser, check the pre-filled form and save it; JavaScript on and off, desktop and phone width."""
from __future__ import annotations

import re
import time
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.activities.models import Activity
from app.certificates.models import Certificate
from tests.e2e.conftest import no_horizontal_scroll, screenshot, serious_axe_violations
from tests.reading.helpers import certificate_pdf, corpus

TEXT, EXPECTED = corpus(1)


def _wait_for(page, javascript: bool, done, what: str, timeout: float = 30) -> None:
    """With JavaScript the page polls by itself; without, the user presses "Check again"."""
    deadline = time.time() + timeout
    while not done():
        assert time.time() < deadline, f"still waiting for {what}"
        if javascript:
            page.wait_for_timeout(300)
        else:
            page.wait_for_timeout(500)
            link = page.locator("a:has-text('Check again')")
            if link.count() and not done():
                link.first.click()
                page.wait_for_load_state()


@pytest.mark.parametrize(("javascript", "phone"), [(True, False), (False, True), (True, True)],
                         ids=["js-desktop", "nojs-phone", "js-phone"])
def test_pdf_certificate_is_read_into_a_form_and_saved(new_page, browser_auth, dbs, javascript, phone):
    name = f"reading-{'js' if javascript else 'nojs'}-{'phone' if phone else 'desktop'}"
    page = new_page(javascript=javascript, phone=phone)
    browser_auth.sign_up(page, "reader@example.com", "Rita Reader")

    page.goto("/certificates/new")
    page.set_input_files("#file", {"name": "cedar-hollow.pdf", "mimeType": "application/pdf",
                                   "buffer": certificate_pdf(TEXT)})
    page.click("#upload-form button[type=submit]")
    page.wait_for_url(re.compile(r"/certificates/\d+$"))
    read_button = page.locator("button:has-text('Read it for me')")
    _wait_for(page, javascript, lambda: read_button.count() > 0, "verification")
    read_button.click()

    page.wait_for_url(re.compile(r"/read/[\w-]+$"))
    assert "Nothing is sent anywhere." in page.content()
    assert "The local parser reads it on our server." in page.content()
    assert "Motivational Interviewing" in page.input_value("#text")
    assert no_horizontal_scroll(page)
    screenshot(page, f"{name}-review")
    if javascript and not phone:
        assert serious_axe_violations(page) == []
    page.click("button:has-text('Read it')")

    _wait_for(page, javascript, lambda: "/activities/new" in page.url, "the reading")
    page.wait_for_selector("#read-banner")
    banner = page.inner_text("#read-banner")
    assert "Read by the local parser on our server" in banner and "Nothing is saved yet." in banner
    assert page.input_value("#title") == EXPECTED["title"]
    assert page.input_value("#provider") == EXPECTED["provider"]
    assert page.input_value("#completed_on") == EXPECTED["completed_on"]
    assert page.input_value("#amount") == "3"
    assert page.input_value("#format") == "live_online"
    assert page.input_value("#approval_number") == "7142"
    assert page.locator(".read-mark").count() >= 6
    assert no_horizontal_scroll(page)
    screenshot(page, f"{name}-form")
    if javascript and not phone:
        assert serious_axe_violations(page) == []
    dbs.expire_all()
    assert dbs.scalar(select(Activity)) is None  # nothing saved before the user confirms

    page.click("button:has-text('Save activity')")
    page.wait_for_url(re.compile(r"/activities/\d+$"))
    assert EXPECTED["title"] in page.content()
    screenshot(page, f"{name}-saved")
    dbs.expire_all()
    activity = dbs.scalar(select(Activity))
    assert (activity.completed_on, activity.hours, activity.format) == (date(2025, 3, 3), Decimal("3.00"),
                                                                        "live_online")
    assert dbs.scalar(select(Certificate)).activity_id == activity.id
