"""/support/accounts: found by exact address, shown by state and dates only; the grace window
shortened on written request with the reason recorded."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from app.audit import AuditEvent
from app.auth.models import User
from app.db import utcnow
from tests.account.seed import seed_everything
from tests.support.conftest import support_events


def test_an_account_is_found_by_its_exact_address(support_client, user_client, dbs):
    response = support_client.get("/support/accounts?email=+Ann@Example.com+")
    assert response.status_code == 303 and response.headers["Location"] == f"/support/accounts/{user_client.user.id}"
    for near_miss in ("ann@example", "example.com", "ann"):
        missed = support_client.get(f"/support/accounts?email={near_miss}")
        assert missed.status_code == 422 and "No account has this address." in missed.get_data(as_text=True)
    events = [(e.action, e.subject, e.details) for e in support_events(dbs, support_client.user.id)]
    assert ("support_searched_accounts", f"user:{user_client.user.id}", {"found": True}) in events
    assert ("support_searched_accounts", None, {"found": False}) in events
    assert all("ann" not in repr(details) for _, _, details in events)  # the searched address is not kept


def test_the_account_page_shows_state_and_dates_but_nothing_the_user_keeps(app, support_client, user_client, dbs):
    seed_everything(dbs, app, dbs.get(User, user_client.user.id), "private")
    page = support_client.get(f"/support/accounts/{user_client.user.id}").get_data(as_text=True)
    facts = re.search(r'<dl class="support-facts" id="account-facts">(.*?)</dl>', page, re.S).group(1)
    assert "ann@example.com" in facts and "Active" in facts and "Last sign-in" in facts
    assert "no grace window" in page and "shorten-form" not in page
    for private in ("Ethics for private", "notes of private", "Counselor private", "N-private", "Ethics 2026.pdf",
                    "feedback from private", "Ann Example"):
        assert private not in page, private


def test_support_shortens_a_deleted_accounts_window_with_the_reason(support_client, user_client, dbs):
    user_client.post_form("/account/delete", {"confirm_email": "ann@example.com"})
    user_id = user_client.user.id
    page = support_client.get(f"/support/accounts/{user_id}").get_data(as_text=True)
    assert "Deleted, waiting for the purge" in page and "(30 days after the deletion)" in page
    response = support_client.post_form(f"/support/accounts/{user_id}/shorten",
                                        {"days": "0", "reason": "Ticket 4711, e-mail of Dec 3"})
    assert response.status_code == 303 and response.headers["Location"] == f"/support/accounts/{user_id}"
    dbs.expire_all()
    user = dbs.get(User, user_id)
    assert user.purge_after == user.deleted_at
    shown = support_client.get(f"/support/accounts/{user_id}").get_data(as_text=True)
    assert "The window is shortened" in shown and "(0 days after the deletion)" in shown
    assert "as short as it gets" in shown and 'id="shorten-form"' not in shown
    users_event = dbs.scalar(select(AuditEvent).where(AuditEvent.action == "purge_window_shortened"))
    assert users_event.actor == f"support:{support_client.user.id}" and users_event.user_id == user_id
    assert users_event.details["reason"] == "Ticket 4711, e-mail of Dec 3" and users_event.details["days"] == 0
    assert users_event.ip is None and users_event.user_agent is None  # the user's log shows no staff address
    mine = [e for e in support_events(dbs, support_client.user.id) if e.action == "support_shortened_window"]
    assert [(e.subject, e.details, e.user_id) for e in mine] == [(f"user:{user_id}", {"found": True, "days": 0}, None)]


def test_shortening_is_refused_without_a_reason_or_when_it_would_not_shorten(support_client, user_client, dbs):
    user_id = user_client.user.id
    refused = support_client.post_form(f"/support/accounts/{user_id}/shorten", {"days": "0", "reason": "r"})
    assert refused.status_code == 422 and "is not deleted" in refused.get_data(as_text=True)
    user_client.post_form("/account/delete", {"confirm_email": "ann@example.com"})
    dbs.expire_all()
    before = dbs.get(User, user_id).purge_after
    for data, message in [({"days": "3", "reason": " "}, "Say where the request is"),
                          ({"days": "-1", "reason": "ticket"}, "Enter 0 or more days."),
                          ({"days": "", "reason": "ticket"}, "Enter a number of days"),
                          ({"days": "45", "reason": "ticket"}, "would not shorten the window")]:
        response = support_client.post_form(f"/support/accounts/{user_id}/shorten", data, htmx=True,
                                            target="shorten-form")
        assert response.status_code == 422 and message in response.get_data(as_text=True), data
        assert response.get_data(as_text=True).lstrip().startswith("<form")  # the form block alone
    dbs.expire_all()
    assert dbs.get(User, user_id).purge_after == before
    assert dbs.scalar(select(AuditEvent).where(AuditEvent.action == "purge_window_shortened")) is None


def test_a_purged_or_unknown_account_is_404(support_client):
    assert support_client.get("/support/accounts/9999").status_code == 404
    response = support_client.post_form("/support/accounts/9999/shorten", {"days": "0", "reason": "x"})
    assert response.status_code == 404


def test_the_dates_are_shown_in_the_support_users_time_zone(support_client, user_client, dbs):
    dbs.get(User, user_client.user.id).last_sign_in_at = utcnow() - timedelta(days=2)
    dbs.commit()
    page = support_client.get(f"/support/accounts/{user_client.user.id}").get_data(as_text=True)
    assert re.search(r"<dt>Last sign-in</dt><dd>\w{3} \d+, \d{4} \d+:\d\d [AP]M C[SD]T</dd>", page)
