"""Sign-up, sign-in and sign-out in Chromium, with JavaScript on and off, at desktop and phone width."""
from __future__ import annotations

import pytest

from tests.e2e.conftest import no_horizontal_scroll, screenshot, serious_axe_violations
from tests.mailbox import sign_in_link


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_sign_up_sign_out_sign_in_by_link(new_page, browser_auth, mailbox, javascript):
    page = new_page(javascript=javascript)
    browser_auth.sign_up(page, "reader@example.com", "Rita Reader")
    assert "Hello, Rita Reader" in page.content()
    screenshot(page, f"dashboard-{'js' if javascript else 'nojs'}")
    page.click("button:has-text('Sign out')")
    page.wait_for_url("**/")
    assert "You are signed out." in page.content()
    mailbox.clear()
    page.goto("/sign-in")
    page.fill("#email", "reader@example.com")
    page.click("button:has-text('Mail me a sign-in link')")
    page.wait_for_url("**/sign-in/code")
    link = sign_in_link(mailbox.wait_for("reader@example.com", timeout=20))
    page.goto(link)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/dashboard")
    assert "Welcome back, Rita Reader." in page.content()


def test_phone_width_has_no_horizontal_scroll(new_page, browser_auth):
    page = new_page(phone=True)
    for path in ["/", "/sign-in", "/privacy", "/terms"]:
        page.goto(path)
        assert no_horizontal_scroll(page), path
    browser_auth.sign_up(page, "phone@example.com", "Pat Phone")
    assert no_horizontal_scroll(page)
    screenshot(page, "dashboard-phone")


def test_pages_have_no_serious_accessibility_violations(new_page, browser_auth):
    page = new_page()
    for path in ["/", "/sign-in", "/privacy", "/terms"]:
        page.goto(path)
        assert serious_axe_violations(page) == [], path
    browser_auth.request(page, "axe@example.com")
    page.wait_for_url("**/welcome")
    assert serious_axe_violations(page) == [], "welcome form"
    page.fill("#name", "Axe Tester")
    page.check("#adult")
    page.check("#accept")
    page.click("button:has-text('Create my account')")
    page.wait_for_url("**/dashboard")
    assert serious_axe_violations(page) == [], "dashboard"
