"""Issue 3's "done when", in Chromium: a new user adds a Texas LPC and a New York LMHC license,
logs activities, edits and deletes one, and sees the progress each rule set gives, at once.

Everything goes through the pages (JavaScript on, off, and on a 390 px phone): no row is put in
the database by hand. The figures were worked out by hand (below) in the manner of
tests/licenses/test_progress_examples.py, and each is also checked against compute_progress on
the same catalog rule sets, so the pages and the pure rules cannot drift apart.

Cycles: TX LPC from 400 days ago to 200 days ahead (24 h: 6 ethics, 3 cultural diversity, a
human trafficking course; self-study counts at most 1 h). NY LMHC from 100 days ago to 1000 days
ahead (36 h: 3 boundaries, for cycles starting after April 2023; a 2 h child-abuse course once;
self-study at most 12 h).

Activities:
  A "Ethics and boundaries", 30 days ago, 6 h in person, 3 ethics + 3 boundaries: both licenses
    (both cycles hold the date, so both start ticked);
  B "Culture and ethics", 20 days ago, 4 h live online, 1 ethics + 3 cultural diversity: the user
    unticks New York;
  C "Self-paced risk review", 200 days ago, 5 h self-study: only Texas starts ticked (New York's
    cycle had not begun), and 4 of its 5 h are over Texas's 1 h self-study cap.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from app.licenses.catalog import load_catalog
from app.licenses.progress import ActivityCredit, Cycle, compute_progress
from tests.e2e.conftest import fits_the_screen, screenshot, serious_axe_violations

TODAY = date.today()
TX_START, TX_DEADLINE = TODAY - timedelta(days=400), TODAY + timedelta(days=200)
NY_START, NY_DEADLINE = TODAY - timedelta(days=100), TODAY + timedelta(days=1000)
PHONE = {"width": 390, "height": 844}
A_DAY, B_DAY, C_DAY = (TODAY - timedelta(days=n) for n in (30, 20, 200))


def credit(ident: str, day: date, hours: str, fmt: str, **topics: str) -> ActivityCredit:
    return ActivityCredit(ident, day, Decimal(hours), fmt, {k: Decimal(v) for k, v in topics.items()})


def expected_summary(slug: str, start: date, deadline: date, credits: list[ActivityCredit],
                     done_before: dict[str, int] | None = None) -> str:
    progress = compute_progress(load_catalog().get(slug), Cycle(start, deadline, last_met_cycle=done_before or {}),
                                credits, TODAY)
    return progress.summary


class Journey:
    """One browser session; `mode` names the screenshots."""

    def __init__(self, page, mode: str, javascript: bool):
        self.page, self.mode, self.javascript = page, mode, javascript

    def step(self, name: str) -> None:
        fits_the_screen(self.page)
        screenshot(self.page, f"renewal-{name}-{self.mode}")

    def add_license(self, slug: str, number: str, start: date, deadline: date) -> int:
        page = self.page
        page.goto("/licenses/new")
        page.select_option("#pick-rule-set", slug)
        if self.javascript:
            page.wait_for_selector(f"#chosen-rule-set[value='{slug}']", state="attached")
        else:
            page.click("button:has-text('Show its requirements')")
            page.wait_for_url(f"**/licenses/new?rule_set={slug}")
        page.fill("#license_number", number)
        page.fill("#cycle_start", start.isoformat())
        page.fill("#renewal_deadline", deadline.isoformat())
        page.click("button:has-text('Save license')")
        page.wait_for_url(re.compile(r".*/licenses/\d+$"))
        assert "License added." in page.inner_text("#messages")
        return int(page.url.rsplit("/", 1)[1])

    def log(self, title: str, day: date, hours: str, fmt: str, topics: dict[str, str], *,
            ticked: tuple[bool, bool], untick_ny: bool = False) -> int:
        page = self.page
        page.goto("/activities/new")
        tx_box, ny_box = page.locator("label:has-text('LPC, Texas') input"), \
            page.locator("label:has-text('LMHC, New York') input")
        page.fill("#title", title)
        page.fill("#completed_on", day.isoformat())
        if self.javascript:  # the boxes follow the date at once; without JavaScript, on saving
            expect(tx_box).to_be_checked(checked=ticked[0])
            expect(ny_box).to_be_checked(checked=ticked[1])
        page.fill("#amount", hours)
        page.select_option("#format", fmt)
        for row, (topic, amount) in enumerate(topics.items()):
            page.select_option(f"#topics-{row}-topic", topic)
            page.fill(f"#topics-{row}-amount", amount)
        if untick_ny:
            ny_box.uncheck()
        self.step(f"log-{title.split()[0].lower()}")
        page.click("button:has-text('Save activity')")
        page.wait_for_url(re.compile(r".*/activities/\d+$"))
        return int(page.url.rsplit("/", 1)[1])

    def cards(self) -> tuple[str, str]:
        """The dashboard's two cards (TX's deadline is sooner, so it comes first)."""
        self.page.goto("/dashboard")
        cards = self.page.locator("article.license-card")
        assert cards.count() == 2
        return cards.nth(0).inner_text(), cards.nth(1).inner_text()


@pytest.mark.parametrize(("javascript", "phone"), [(True, False), (False, False), (True, True)],
                         ids=["js", "nojs", "phone"])
def test_two_licenses_activities_and_progress_through_the_pages(new_page, browser_auth, javascript, phone):
    mode = "phone" if phone else ("js" if javascript else "nojs")
    page = new_page(javascript=javascript, phone=phone)
    if phone:
        page.set_viewport_size(PHONE)
    journey = Journey(page, mode, javascript)
    browser_auth.sign_up(page, f"renewal-{mode}@example.com", "Robin Renewal")

    # A new account: the dashboard says what to do first, and the nav leads to both halves.
    main = page.inner_text("main")
    assert "Start with your first license" in main and "Add a license and its renewal deadline." in main
    nav = page.locator("nav[aria-label=Main]")
    assert nav.get_by_role("link", name="Licenses").get_attribute("href") == "/licenses"
    assert nav.get_by_role("link", name="Activities").get_attribute("href") == "/activities"
    journey.step("empty-dashboard")
    page.get_by_role("button", name="Add a license").click()
    page.wait_for_url("**/licenses/new")

    tx = journey.add_license("tx-lpc", "TX-1001", TX_START, TX_DEADLINE)
    ny = journey.add_license("ny-lmhc", "NY-2002", NY_START, NY_DEADLINE)
    tx_card, ny_card = journey.cards()
    assert "Hours counted: 0 of 24 h" in tx_card and "Hours counted: 0 of 36 h" in ny_card
    journey.step("dashboard-no-activities")

    a = journey.log("Ethics and boundaries", A_DAY, "6", "live", {"ethics": "3", "boundaries": "3"},
                    ticked=(True, True))
    shown = page.inner_text("main")
    assert "LPC, Texas" in shown and "LMHC, New York" in shown
    assert page.get_by_role("link", name="LMHC, New York").get_attribute("href") == f"/licenses/{ny}"
    journey.step("activity-page")
    b = journey.log("Culture and ethics", B_DAY, "4", "live_online", {"ethics": "1", "cultural_diversity": "3"},
                    ticked=(True, True), untick_ny=True)
    c = journey.log("Self-paced risk review", C_DAY, "5", "self_study", {}, ticked=(True, False))
    assert "LMHC, New York" not in page.inner_text("main")  # only Texas's cycle held its date

    # TX: A 6 + B 4 + C min(5, cap 1) = 11 of 24 h; ethics 3 + 1 = 4 of 6; cultural 3 of 3; the
    # trafficking course is missing; 24 - 11 = 13 h. 400 of 600 days gone, pace 16 h > 11: at risk.
    # NY: A 6 of 36 h; boundaries 3 of 3; child abuse 0 of 2; 30 h; 100 of 1100 days gone: on track.
    credits = {"A": credit("A", A_DAY, "6", "live", ethics="3", boundaries="3"),
               "B": credit("B", B_DAY, "4", "live_online", ethics="1", cultural_diversity="3"),
               "C": credit("C", C_DAY, "5", "self_study")}
    tx_words = ("Still needed: 2 h of ethics, a human trafficking (HHSC-approved course) and 13 h in total, "
                "200 days left.")
    ny_words = "Still needed: 2 h of child abuse identification and 30 h in total, 1000 days left."
    assert expected_summary("tx-lpc", TX_START, TX_DEADLINE, list(credits.values())) == tx_words
    assert expected_summary("ny-lmhc", NY_START, NY_DEADLINE, [credits["A"]]) == ny_words
    tx_card, ny_card = journey.cards()
    assert "Hours counted: 11 of 24 h" in tx_card and tx_words in tx_card and "At risk" in tx_card
    assert "Next step: Take 2 h on ethics." in tx_card
    assert "Hours counted: 6 of 36 h" in ny_card and ny_words in ny_card and "On track" in ny_card
    assert "Next step: Take 2 h on child abuse identification." in ny_card
    log_button = page.get_by_role("button", name="Log an activity")
    assert log_button.get_attribute("href") == "/activities/new"
    box = log_button.bounding_box()
    assert box["y"] + box["height"] <= page.viewport_size["height"]  # one tap, no scrolling
    journey.step("dashboard")
    if javascript and not phone:
        assert serious_axe_violations(page) == []

    # The license page: the same figures, the cap in words, and what was logged, linked.
    page.click(f"#card-{tx}-title a")
    page.wait_for_url(f"**/licenses/{tx}")
    body = page.inner_text("main")
    assert "Hours counted: 11 of 24 h" in body and tx_words in body
    assert "Self-study: 5 h logged, at most 1 h count (4 h do not)." in body
    assert "Logged toward it in this cycle (3)" in body
    listed = page.locator("ul.cycle-activities a")
    assert [listed.nth(i).get_attribute("href") for i in range(listed.count())] == \
        [f"/activities/{b}", f"/activities/{a}", f"/activities/{c}"]  # newest first
    journey.step("license-tx")
    page.goto(f"/licenses/{ny}")
    body = page.inner_text("main")
    assert "Hours counted: 6 of 36 h" in body and ny_words in body and "Logged toward it in this cycle (1)" in body
    journey.step("license-ny")

    # Edit A: 6 h -> 8 h. TX 13 of 24 (11 h to go); NY 8 of 36 (28 h to go).
    page.goto("/activities")
    journey.step("activity-list")
    page.locator(f"#activity-{a}").get_by_role("link", name="Edit").click()
    if javascript:
        page.wait_for_selector(f"#activity-{a}.editing-row form")
        page.fill(f"#activity-{a}-amount", "8")
        journey.step("inline-edit")
        page.locator(f"#activity-{a} button:has-text('Save changes')").click()
        page.wait_for_selector(f"#activity-{a}:not(.editing-row)")
    else:
        page.wait_for_url(f"**/activities/{a}/edit")
        page.fill("#amount", "8")
        page.click("button:has-text('Save changes')")
        page.wait_for_url(f"**/activities/{a}")
    credits["A"] = credit("A", A_DAY, "8", "live", ethics="3", boundaries="3")
    tx_words = ("Still needed: 2 h of ethics, a human trafficking (HHSC-approved course) and 11 h in total, "
                "200 days left.")
    ny_words = "Still needed: 2 h of child abuse identification and 28 h in total, 1000 days left."
    assert expected_summary("tx-lpc", TX_START, TX_DEADLINE, list(credits.values())) == tx_words
    assert expected_summary("ny-lmhc", NY_START, NY_DEADLINE, [credits["A"]]) == ny_words
    tx_card, ny_card = journey.cards()
    assert "Hours counted: 13 of 24 h" in tx_card and tx_words in tx_card
    assert "Hours counted: 8 of 36 h" in ny_card and ny_words in ny_card

    # Delete B: TX loses 1 h of ethics and all its cultural diversity. 8 + 1 = 9 of 24 h.
    page.goto("/activities")
    page.locator(f"#activity-{b}").get_by_role("link", name="Delete").click()
    if javascript:
        page.wait_for_selector(f"#activity-{b}.confirm-row")
        page.click(f"#activity-{b} button:has-text('Delete')")
        page.wait_for_selector(f"#activity-{b}", state="detached")
    else:
        page.wait_for_url(f"**/activities/{b}/delete")
        page.click("button:has-text('Delete the activity')")
        page.wait_for_url("**/activities")
    del credits["B"]
    tx_words = ("Still needed: 3 h of ethics, 3 h of cultural diversity/competency, a human trafficking "
                "(HHSC-approved course) and 15 h in total, 200 days left.")
    assert expected_summary("tx-lpc", TX_START, TX_DEADLINE, list(credits.values())) == tx_words
    tx_card, ny_card = journey.cards()
    assert "Hours counted: 9 of 24 h" in tx_card and tx_words in tx_card
    assert "Hours counted: 8 of 36 h" in ny_card and ny_words in ny_card

    # New York's child-abuse course was taken years ago: ticked on the license, never asked again.
    page.goto(f"/licenses/{ny}/edit")
    page.get_by_label("I completed this before this cycle").check()
    journey.step("license-edit-done-before")
    page.click("button:has-text('Save changes')")
    page.wait_for_url(f"**/licenses/{ny}")
    ny_words = "Still needed: 28 h in total, 1000 days left."
    assert expected_summary("ny-lmhc", NY_START, NY_DEADLINE, [credits["A"]],
                            {"child_abuse_identification": 0}) == ny_words
    assert ny_words in page.inner_text("main")
    _, ny_card = journey.cards()
    assert "Hours counted: 8 of 36 h" in ny_card and ny_words in ny_card
    assert "Next step: Log 28 h more on any approved topic." in ny_card
    journey.step("dashboard-after-changes")
