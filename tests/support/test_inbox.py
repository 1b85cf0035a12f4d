"""/support/feedback: open messages listed, one read in full, marked handled; a deleted account's
feedback is hidden with the rest of its data."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.db import utcnow
from app.feedback.models import Feedback
from tests.account.seed import make_user
from tests.support.conftest import support_events


def test_the_inbox_lists_open_messages_with_their_sender(make_client, user_client, support_client, dbs):
    make_client().post_form("/feedback", {"message": "The code never came.", "page": "/sign-in",
                                   "reply_to": "visitor@example.com"})
    user_client.post_form("/feedback", {"message": "Please add\nnursing rules for Ohio.", "page": "/dashboard"})
    page = support_client.get("/support/feedback").get_data(as_text=True)
    assert "Open (2)" in page and "Handled (0)" in page
    assert page.index("The code never came.") < page.index("Please add nursing rules for Ohio.")  # oldest first
    assert "visitor@example.com" in page and "ann@example.com" in page and "/sign-in" in page


def test_a_message_is_read_in_full_and_marked_handled(user_client, support_client, dbs):
    user_client.post_form("/feedback", {"message": "Line one\nLine two " + "x" * 200, "page": "/account"})
    item = dbs.scalar(select(Feedback))
    page = support_client.get(f"/support/feedback/{item.id}").get_data(as_text=True)
    assert "Line one\nLine two " + "x" * 200 in page
    assert f'href="/support/accounts/{user_client.user.id}"' in page and "Mark handled" in page
    response = support_client.post_form(f"/support/feedback/{item.id}/handled")
    assert response.status_code == 303 and response.headers["Location"] == "/support/feedback"
    dbs.expire_all()
    item = dbs.get(Feedback, item.id)
    assert item.status == "handled" and item.handled_at is not None
    inbox = support_client.get("/support/feedback").get_data(as_text=True)
    assert f"Message #{item.id} is marked handled." in inbox and "No open messages." in inbox
    handled = support_client.get("/support/feedback?status=handled").get_data(as_text=True)
    assert "Line one Line two" in handled
    again = support_client.post_form(f"/support/feedback/{item.id}/handled", htmx=True)
    assert again.headers["HX-Redirect"] == "/support/feedback"
    assert "Mark handled" not in support_client.get(f"/support/feedback/{item.id}").get_data(as_text=True)
    actions = [(e.action, e.subject, e.details.get("changed")) for e in support_events(dbs, support_client.user.id)]
    assert ("support_handled_feedback", f"feedback:{item.id}", True) in actions
    assert ("support_handled_feedback", f"feedback:{item.id}", False) in actions


def test_feedback_of_a_deleted_account_is_hidden(support_client, dbs):
    gone = make_user(dbs, "gone@example.com", deleted_at=utcnow(), purge_after=utcnow() + timedelta(days=30))
    dbs.add(Feedback(user_id=gone.id, message="from a deleted account"))
    dbs.commit()
    item_id = dbs.scalar(select(Feedback.id))
    assert "from a deleted account" not in support_client.get("/support/feedback").get_data(as_text=True)
    assert support_client.get(f"/support/feedback/{item_id}").status_code == 404
    assert support_client.post_form(f"/support/feedback/{item_id}/handled").status_code == 404
    dbs.expire_all()
    assert dbs.get(Feedback, item_id).status == "open"


def test_the_inbox_pages_through_many_messages(support_client, dbs):
    dbs.add_all([Feedback(message=f"message {n:02d}", created_at=utcnow() - timedelta(minutes=60 - n))
                 for n in range(30)])
    dbs.commit()
    first = support_client.get("/support/feedback").get_data(as_text=True)
    assert "message 00" in first and "message 29" not in first and "Page 1 of 2" in first
    second = support_client.get("/support/feedback?page=2").get_data(as_text=True)
    assert "message 29" in second and "message 00" not in second
