"""A Texas LPC licensee in Chromium: opens the transcript, downloads its PDF and the audit packet, gets the
calendar feed URL, and shares a link that works until revoked. JavaScript on and off, and at phone width."""
from __future__ import annotations

import io
import time
import zipfile

import pytest
from icalendar import Calendar
from pypdf import PdfReader
from sqlalchemy import select

from tests.e2e.conftest import no_horizontal_scroll, screenshot
from tests.outputs.seed import licensee

CASES = [(True, False, "js"), (False, False, "nojs"), (True, True, "phone")]


def _download(page, selector: str) -> bytes:
    with page.expect_download() as info:
        page.click(selector)
    return open(info.value.path(), "rb").read()


def _wait_for_packet(page, javascript: bool) -> None:
    """With JavaScript the status polls by itself; without, the user follows "Check again"."""
    deadline = time.time() + 90
    while not page.locator("text=Open the result").count():
        assert time.time() < deadline, "the packet was not ready in time"
        if not javascript:
            page.click("text=Check again")
        page.wait_for_timeout(1000)
    page.click("text=Open the result")
    page.wait_for_selector("text=Download ZIP")


@pytest.mark.parametrize("javascript,phone,name", CASES, ids=[c[2] for c in CASES])
def test_transcript_packet_calendar_and_share(new_page, browser_auth, app, dbs, javascript, phone, name):
    email = f"lpc-{name}@example.com"
    page = new_page(javascript=javascript, phone=phone)
    browser_auth.sign_up(page, email, "Lee Counselor")
    from app.auth.models import User
    user_id = dbs.scalar(select(User.id).where(User.email == email))
    seeded = licensee(dbs, app, user_id=user_id, email=email)

    # the dashboard links to the outputs page, which lists the cycle
    page.click("text=Renewal outputs")
    page.wait_for_url("**/outputs")
    assert no_horizontal_scroll(page)
    screenshot(page, f"outputs-index-{name}")
    page.click(".renewal-outputs >> text=Transcript")
    page.wait_for_url(f"**/licenses/{seeded.license_id}/transcript?cycle={seeded.cycle_id}")
    assert page.locator("text=Ethics in counseling").count() and page.locator("text=LPC-12345").count()
    assert no_horizontal_scroll(page)
    screenshot(page, f"transcript-{name}")

    pdf = _download(page, ".transcript-actions >> text=Download PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Trauma-informed care" in text and "Lee Counselor" in text

    # the audit packet, built by the worker while the page shows its progress
    page.click(".transcript-actions >> text=Audit packet")
    page.click("button:has-text('Prepare the audit packet')")
    page.wait_for_selector("#job-status")
    screenshot(page, f"packet-progress-{name}")
    _wait_for_packet(page, javascript)
    assert no_horizontal_scroll(page)
    screenshot(page, f"packet-ready-{name}")
    packet_pdf = _download(page, "text=Download PDF")
    assert "CE audit packet" in PdfReader(io.BytesIO(packet_pdf)).pages[0].extract_text()
    names = zipfile.ZipFile(io.BytesIO(_download(page, "text=Download ZIP"))).namelist()
    assert names[:2] == ["00 Cover sheet.pdf", "01 Transcript.pdf"] and len(names) == 5

    # the calendar feed URL, read by "a calendar app" (a plain HTTP request without the session)
    page.goto("/calendar")
    page.click("button:has-text('Turn on the calendar feed')")
    feed_url = page.locator("#feed-url").inner_text()
    assert no_horizontal_scroll(page)
    screenshot(page, f"calendar-{name}")
    response = page.context.request.get(feed_url, headers={"Cookie": ""})
    events = Calendar.from_ical(response.body()).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Renewal deadline: TX LPC"]

    # a share link that works for someone else until it is revoked
    page.goto(f"/licenses/{seeded.license_id}/shares?cycle={seeded.cycle_id}")
    page.select_option("#days", "7")
    page.fill("#note", "Texas board audit")
    page.click("button:has-text('Make a link')")
    share_url = page.locator("#share-url").inner_text()
    assert no_horizontal_scroll(page)
    screenshot(page, f"share-made-{name}")
    board = new_page(javascript=javascript, phone=phone)
    board.goto(share_url)
    assert board.locator("text=read-only copy shared by Lee Counselor").count()
    assert board.locator("text=Ethics in counseling").count()
    assert no_horizontal_scroll(board)
    screenshot(board, f"shared-view-{name}")
    page.goto(f"/licenses/{seeded.license_id}/shares?cycle={seeded.cycle_id}")
    assert page.locator(".share-list li").count() == 1
    page.click("button:has-text('Revoke')")
    page.wait_for_selector("text=The link is revoked")
    refused = board.goto(share_url)
    assert refused.status == 410 and board.locator("text=This shared link no longer works").count()
    assert not board.locator("text=Ethics in counseling").count()
    screenshot(board, f"shared-revoked-{name}")
