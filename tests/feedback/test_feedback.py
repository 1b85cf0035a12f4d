"""Feedback from any page, by visitors and signed-in users, stored for support with its page."""
from __future__ import annotations

from sqlalchemy import select

from app.audit import AuditEvent
from app.feedback.models import Feedback


def test_every_page_links_to_feedback_with_its_path(client):
    for path in ("/", "/privacy", "/sign-in"):
        page = client.get(path).get_data(as_text=True)
        assert f'href="/feedback?page={path}"' in page, path


def test_a_visitor_sends_feedback_and_is_thanked(client, dbs):
    page = client.get("/feedback?page=/sign-in").get_data(as_text=True)
    assert 'value="/sign-in"' in page and "reply_to" in page
    response = client.post_form("/feedback", {"message": "The code never came.", "page": "/sign-in",
                                              "reply_to": "Visitor@Example.com"})
    assert response.status_code == 303 and response.headers["Location"] == "/feedback/thanks"
    assert "Thank you" in client.get("/feedback/thanks").get_data(as_text=True)
    item = dbs.scalar(select(Feedback))
    assert (item.user_id, item.message, item.page, item.reply_to, item.status) == (
        None, "The code never came.", "/sign-in", "visitor@example.com", "open")


def test_a_signed_in_users_feedback_belongs_to_the_account(user_client, dbs):
    page = user_client.get("/feedback?page=/account").get_data(as_text=True)
    assert "reply_to" not in page
    user_client.post_form("/feedback", {"message": "Love it", "page": "/account"})
    item = dbs.scalar(select(Feedback))
    assert item.user_id == user_client.user.id and item.reply_to is None
    assert dbs.scalar(select(AuditEvent).where(AuditEvent.action == "feedback_sent")).user_id == item.user_id


def test_empty_message_is_422_and_nothing_is_saved(client, dbs):
    response = client.post_form("/feedback", {"message": " ", "page": "/"}, htmx=True, target="feedback-form")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Write your message." in text and "<html" not in text
    assert dbs.scalar(select(Feedback)) is None


def test_page_must_be_a_path_of_ours(client, dbs):
    client.post_form("/feedback", {"message": "hi", "page": "https://evil.example/x"})
    assert dbs.scalar(select(Feedback)).page is None
