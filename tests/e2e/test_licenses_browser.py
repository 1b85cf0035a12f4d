"""Adding a Texas LPC and a New York LMHC license in Chromium, then seeing the dashboard's progress.

Runs with JavaScript on and off and at phone width (390 px). Activities are put straight into the
database (the activity pages come from another part of the app) and the app is told, as the
activity pages tell it, so its cached progress is recomputed.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.activities.signals import activities_changed
from app.auth.models import User
from app.licenses.models import License
from tests.e2e.conftest import fits_the_screen, screenshot, serious_axe_violations
from tests.licenses.helpers import add_activity

TODAY = date.today()
CYCLE_START = TODAY - timedelta(days=400)
TX_DEADLINE = TODAY + timedelta(days=200)
NY_DEADLINE = TODAY + timedelta(days=500)

def add_license(page, rule_set: str, number: str, deadline: date, *, javascript: bool, name: str) -> None:
    page.goto("/licenses/new")
    page.select_option("#pick-rule-set", rule_set)
    if javascript:  # htmx swaps the form in place
        page.wait_for_selector(f"#chosen-rule-set[value='{rule_set}']", state="attached")
        assert page.url.endswith("/licenses/new")
    else:
        page.click("button:has-text('Show its requirements')")
        page.wait_for_url(f"**/licenses/new?rule_set={rule_set}")
    page.fill("#license_number", number)
    page.fill("#cycle_start", CYCLE_START.isoformat())
    page.fill("#renewal_deadline", deadline.isoformat())
    screenshot(page, f"license-form-{name}")
    fits_the_screen(page)
    page.click("button:has-text('Save license')")
    page.wait_for_url(re.compile(r".*/licenses/\d+$"))
    assert "License added." in page.content()


@pytest.mark.parametrize(("javascript", "phone"), [(True, False), (False, False), (True, True)],
                         ids=["js", "nojs", "phone"])
def test_add_two_licenses_and_see_progress_on_the_dashboard(new_page, browser_auth, app, dbs, javascript, phone):
    name = "js" if javascript and not phone else ("phone" if phone else "nojs")
    email = f"licensee-{name}@example.com"
    page = new_page(javascript=javascript, phone=phone)
    if phone:
        page.set_viewport_size({"width": 390, "height": 844})
    browser_auth.sign_up(page, email, "Lee Licensee")
    assert "Start with your first license" in page.content()
    fits_the_screen(page)

    add_license(page, "tx-lpc", "TX-1001", TX_DEADLINE, javascript=javascript, name=f"tx-{name}")
    assert "Verify with your board." in page.content()
    screenshot(page, f"license-tx-{name}")
    fits_the_screen(page)
    add_license(page, "ny-lmhc", "NY-2002", NY_DEADLINE, javascript=javascript, name=f"ny-{name}")

    user = dbs.scalar(select(User).where(User.email == email))
    tx, ny = sorted(dbs.scalars(select(License).where(License.user_id == user.id)).all(),
                    key=lambda lic: lic.rule_set_slug != "tx-lpc")
    assert (tx.rule_set_slug, ny.rule_set_slug) == ("tx-lpc", "ny-lmhc")
    assert tx.cycles[0].renewal_deadline == TX_DEADLINE and ny.issuing_body == "New York"

    page.goto("/dashboard")
    cards = page.locator("article.license-card")
    assert cards.count() == 2
    assert "0 of 24 h" in cards.nth(0).inner_text() and "0 of 36 h" in cards.nth(1).inner_text()

    day = TODAY - timedelta(days=30)
    add_activity(dbs, user.id, [tx, ny], hours="6", topics={"ethics": "6"}, completed_on=day, title="Ethics")
    add_activity(dbs, user.id, [tx], hours="3", fmt="live_online", topics={"cultural_diversity": "3"},
                 completed_on=day, title="Culture")
    add_activity(dbs, user.id, [ny], hours="3", fmt="self_study", topics={"boundaries": "3"},
                 completed_on=day, title="Boundaries")
    add_activity(dbs, user.id, [tx], hours="2", fmt="self_study", completed_on=day, title="Reading")
    with app.app_context():
        activities_changed.send(None, user_id=user.id)

    page.goto("/dashboard")
    tx_card, ny_card = cards.nth(0).inner_text(), cards.nth(1).inner_text()
    # TX LPC: ethics 6 + culture 3 + self-study capped at 1 of 2 h = 10 of 24 h; the trafficking course is due.
    assert "Hours counted: 10 of 24 h" in tx_card
    assert ("Still needed: a human trafficking (HHSC-approved course) and 14 h in total, "
            f"{(TX_DEADLINE - TODAY).days} days left.") in tx_card
    assert "Next step: Take a course on human trafficking (HHSC-approved course)." in tx_card
    # NY LMHC: ethics 6 + boundaries 3 = 9 of 36 h; the one-time child abuse course is still to log.
    assert "Hours counted: 9 of 36 h" in ny_card
    ny_days = (NY_DEADLINE - TODAY).days
    assert f"Still needed: 2 h of child abuse identification and 27 h in total, {ny_days} days left." in ny_card
    bar = page.locator(f"#hours-{tx.id}")
    assert (bar.get_attribute("max"), bar.get_attribute("value")) == ("24", "10")
    assert page.get_by_label("Hours counted: 10 of 24 h").count() == 1  # the bar is named by its figures
    assert page.get_by_role("button", name="Log an activity").get_attribute("href") == "/activities/new"
    fits_the_screen(page)
    screenshot(page, f"dashboard-licenses-{name}")
    if javascript and not phone:
        assert serious_axe_violations(page) == []

    page.click(f"#card-{tx.id}-title a")
    page.wait_for_url(f"**/licenses/{tx.id}")
    body = page.content()
    assert "Self-study: 2 h logged, at most 1 h count (1 h do not)." in body
    fits_the_screen(page)
    screenshot(page, f"license-tx-progress-{name}")
    if javascript and not phone:
        assert serious_axe_violations(page) == []
