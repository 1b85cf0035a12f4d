"""The privacy page shows the operator, the contact address and the effective date from settings."""
from __future__ import annotations


def test_privacy_page_shows_operator_contact_and_date_from_settings(fresh_app):
    app = fresh_app(OPERATOR_NAME="Lakeside Records, Inc.", CONTACT_EMAIL="privacy@lakeside.test",
                    POLICY_EFFECTIVE="2031-02-03", PURGE_AFTER_DAYS=45)
    response = app.test_client().get("/privacy")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Effective: 2031-02-03" in page
    assert page.count("Lakeside Records, Inc.") == 2
    assert 'href="mailto:privacy@lakeside.test"' in page
    assert "currently 45 days" in page
    assert "Best CE Tracker" not in page and "support@bestcetracker.com" not in page
