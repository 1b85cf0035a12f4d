"""The role guard: every /support URL and method sends a visitor to sign in and answers 403 to a
user without the support role; the Support link shows only to support users."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit import AuditEvent
from app.feedback.models import Feedback
from app.support import runs

SAMPLE_VALUES = {"job_id": "sample-1", "kind": "purge-dry-run", "feedback_id": 1, "user_id": 1}


def support_requests(app) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) for every rule under /support and every method it answers."""
    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not rule.rule.startswith("/support"):
                continue
            values = {name: SAMPLE_VALUES[name] for name in rule.arguments}
            url = app.url_for(rule.endpoint, **values)
            found.extend((rule.endpoint, method, url) for method in sorted(rule.methods))
    return found


def send(client, method: str, url: str):
    if method == "POST":
        return client.post_form(url, {})
    return client.open(url, method=method)


def test_the_url_map_has_the_whole_console(app):
    endpoints = {endpoint for endpoint, _, _ in support_requests(app)}
    assert endpoints == {
        "support.index", "support.jobs", "support.retry", "support.delete", "support.start_run", "support.run",
        "support.feedback", "support.feedback_item", "support.mark_handled", "support.find_account",
        "support.account", "support.shorten"}
    methods = {method for _, method, _ in support_requests(app)}
    assert methods == {"GET", "HEAD", "OPTIONS", "POST"}


def test_a_visitor_is_sent_to_sign_in_from_every_url_and_method(app, client):
    for endpoint, method, url in support_requests(app) + [("none", "GET", "/support/no-such-page")]:
        response = send(client, method, url)
        assert response.status_code == 303, (endpoint, method, response.status_code)
        assert response.headers["Location"].startswith("/sign-in?next=/support"), (endpoint, method)


def test_a_visitor_with_htmx_is_redirected_by_htmx(client):
    response = client.htmx_get("/support/jobs", "main")
    assert response.status_code == 401 and response.headers["HX-Redirect"].startswith("/sign-in?next=/support/jobs")


def test_a_user_without_the_role_gets_403_everywhere_and_the_attempt_is_audited(app, user_client, dbs):
    dbs.add(Feedback(message="a message", status="open"))
    dbs.commit()
    checked = support_requests(app) + [("none", "GET", "/support/no-such-page")]
    for endpoint, method, url in checked:
        response = send(user_client, method, url)
        assert response.status_code == 403, (endpoint, method, response.status_code)
        if method == "GET":
            assert "You cannot open this page" in response.get_data(as_text=True)
    denied = list(dbs.scalars(select(AuditEvent).where(AuditEvent.action == "support_access_denied")))
    assert len(denied) == len(checked)
    assert {event.actor for event in denied} == {f"user:{user_client.user.id}"}
    assert {(e.details["method"], e.details["endpoint"]) for e in denied} >= {("POST", "support.mark_handled")}
    assert dbs.scalar(select(Feedback.status)) == "open"  # the POST changed nothing
    assert dbs.scalar(select(AuditEvent).where(AuditEvent.actor.like("support:%"))) is None


def test_a_post_without_its_csrf_token_is_refused_even_for_support(support_client):
    response = support_client.post(f"/support/runs/{next(iter(runs.KINDS))}", data={})
    assert response.status_code == 400
    assert support_client.get("/support/jobs").get_data(as_text=True).count("support-run-") == 0


@pytest.mark.parametrize("role", ["user", "support"])
def test_the_support_link_shows_only_to_support_users(request, role):
    client = request.getfixturevalue("user_client" if role == "user" else "support_client")
    page = client.get("/dashboard").get_data(as_text=True)
    assert ('href="/support"' in page) is (role == "support")


def test_a_support_user_opens_every_page(support_client):
    for url in ("/support", "/support/jobs", "/support/feedback", "/support/accounts"):
        response = support_client.get(url)
        assert response.status_code == 200, url
        assert 'aria-label="Support console"' in response.get_data(as_text=True), url
    assert "Every page and action here is recorded" in support_client.get("/support").get_data(as_text=True)
