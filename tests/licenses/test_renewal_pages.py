"""Recording a renewal: the cycle closes, the next opens with carried hours, the past stays viewable."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.licenses.models import License
from tests.licenses.helpers import add_activity, add_license, form_fields


def test_recording_a_renewal_closes_the_cycle_and_opens_the_next(user_client, dbs):
    uid = user_client.user.id
    today = date.today()
    start, deadline = today - timedelta(days=700), today + timedelta(days=20)
    license = add_license(dbs, uid, "tx-lpc", start=start, deadline=deadline)
    day = start + timedelta(days=10)
    # TX LPC: 24 h with 6 ethics, 3 cultural diversity, a human trafficking course; 10 h carry over.
    add_activity(dbs, uid, [license], hours="6", topics={"ethics": "6"}, completed_on=day, title="Ethics day")
    add_activity(dbs, uid, [license], hours="3", topics={"cultural_diversity": "3"}, completed_on=day)
    add_activity(dbs, uid, [license], hours="1", topics={"human_trafficking": "1"}, completed_on=day)
    add_activity(dbs, uid, [license], hours="20", completed_on=day + timedelta(days=1), title="Conference")

    page = user_client.get(f"/licenses/{license.id}/renew").get_data(as_text=True)
    assert "Complete: 30 h counted of 24 h required." in page
    assert "<strong>6 h</strong> carried over from this cycle." in page
    fields = form_fields(page, f"/licenses/{license.id}/renew")
    next_deadline = deadline.replace(year=deadline.year + 2) if not (deadline.month == 2 and deadline.day == 29) \
        else date(deadline.year + 2, 2, 28)
    assert fields["next_deadline"] == next_deadline.isoformat() and fields["renewed_on"] == today.isoformat()

    response = user_client.post(f"/licenses/{license.id}/renew", data=fields)
    assert response.status_code == 303
    assert "Renewal recorded." in user_client.get(response.headers["Location"]).get_data(as_text=True)
    dbs.expire_all()
    closed, opened = sorted(dbs.get(License, license.id).cycles, key=lambda c: c.cycle_start)
    assert closed.renewed_on == today and not closed.is_open
    assert opened.is_open and opened.cycle_start == deadline + timedelta(days=1)
    assert opened.renewal_deadline == next_deadline and opened.cycle_number == 2
    assert opened.carried_in_hours == Decimal("6")
    assert {"ethics", "cultural_diversity_competency"} <= set(opened.last_met_cycle)

    show = user_client.get(f"/licenses/{license.id}").get_data(as_text=True)
    assert "Past cycles" in show and f"renewed {today.strftime('%b %-d, %Y')}" in show
    assert "Includes 6 h carried over" in show
    past = user_client.get(f"/licenses/{license.id}/cycles/{closed.id}").get_data(as_text=True)
    assert "Every requirement was met." in past and "Ethics day" in past and "Conference" in past
    assert "Activities dated in this cycle (4)" in past

    again = user_client.post(f"/licenses/{license.id}/renew", data=fields)  # a second click
    assert again.status_code == 303
    dbs.expire_all()
    assert len(dbs.get(License, license.id).cycles) == 2


def test_a_renewal_date_in_the_future_is_refused_with_its_message(user_client, dbs):
    today = date.today()
    license = add_license(dbs, user_client.user.id, "tx-lpc", start=today - timedelta(days=700),
                          deadline=today + timedelta(days=20))
    fields = form_fields(user_client.get(f"/licenses/{license.id}/renew").get_data(as_text=True),
                         f"/licenses/{license.id}/renew")
    fields["renewed_on"] = (today + timedelta(days=5)).isoformat()
    response = user_client.post(f"/licenses/{license.id}/renew", data=fields)
    assert response.status_code == 422
    assert "The renewal date cannot be in the future." in response.get_data(as_text=True)
    dbs.expire_all()
    assert len(dbs.scalars(select(License)).one().cycles) == 1
