"""The signed-in home page: one card per license, soonest deadline first, progress in figures and words."""
from __future__ import annotations

import re
from datetime import date, timedelta

from tests.licenses.helpers import add_activity, add_license


def test_a_new_user_sees_how_to_start(user_client):
    page = user_client.get("/dashboard").get_data(as_text=True)
    assert "Start with your first license" in page
    assert '<a href="/licenses/new" role="button">Add a license</a>' in page
    assert 'href="/activities/new"' in page


def test_one_card_per_license_soonest_deadline_first_with_progress_and_next_step(user_client, dbs):
    uid = user_client.user.id
    today = date.today()
    ny = add_license(dbs, uid, "ny-lmhc", start=today - timedelta(days=400), deadline=today + timedelta(days=700),
                     issuing_body="New York")
    tx = add_license(dbs, uid, "tx-lpc", start=today - timedelta(days=600), deadline=today + timedelta(days=120))
    add_activity(dbs, uid, [tx, ny], hours="4", topics={"ethics": "2"}, completed_on=today - timedelta(days=30))
    page = user_client.get("/dashboard").get_data(as_text=True)

    cards = re.findall(r'<article class="license-card[^"]*".*?</article>', page, re.S)
    assert len(cards) == 2
    tx_card, ny_card = cards
    assert "Licensed Professional Counselor (LPC)" in tx_card and "Licensed Mental Health Counselor" in ny_card
    # The bar has its figures in text, tied to it by a label.
    assert f'<progress id="hours-{tx.id}" max="24" value="4">4 of 24 h</progress>' in tx_card
    assert f'<label for="hours-{tx.id}">Hours counted: <strong>4 of 24 h</strong></label>' in tx_card
    assert "120 days left" in tx_card
    assert ("Still needed: 4 h of ethics, 3 h of cultural diversity/competency, a human trafficking "
            "(HHSC-approved course) and 20 h in total, 120 days left.") in tx_card
    assert "<strong>Next step:</strong> Take 4 h on ethics." in tx_card
    # TX LPC is 2 years and 2 of 24 h are done 480 days in: behind pace, and the words say so.
    assert "status-at_risk" in tx_card and "At risk" in tx_card
    # NY LMHC: 36 h; its boundaries topic applies to cycles starting from April 2023.
    assert 'max="36" value="4">4 of 36 h</progress>' in ny_card
    assert "3 h of appropriate professional boundaries" in ny_card
    assert page.index('class="log-activity"') < page.index("license-card")
    assert '<a href="/activities/new" role="button">Log an activity</a>' in page


def test_a_complete_license_says_so_and_what_to_do(user_client, dbs):
    uid = user_client.user.id
    today = date.today()
    ny = add_license(dbs, uid, "ny-lmhc", start=date(2022, 1, 1), deadline=today + timedelta(days=200),
                     issuing_body="New York")
    add_activity(dbs, uid, [ny], hours="36", completed_on=today - timedelta(days=5),
                 topics={"boundaries": "3", "child_abuse": "2"})
    page = user_client.get("/dashboard").get_data(as_text=True)
    assert "Complete: 36 h counted of 36 h required." in page
    assert "Everything is in: renew with your board, then record the renewal here." in page
    assert "✓</span> Complete" in page


def test_the_dashboard_escapes_what_users_typed(user_client, dbs):
    add_license(dbs, user_client.user.id, "tx-lpc", profession="<script>alert(1)</script>",
                issuing_body="<b>Texas</b>")
    page = user_client.get("/dashboard").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;Texas&lt;/b&gt;" in page
