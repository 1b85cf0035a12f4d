"""Every view and action of support leaves an audit event under the support user's name."""
from __future__ import annotations

from datetime import timedelta

from rq import SimpleWorker
from sqlalchemy import select

from app import tasks
from app.db import utcnow
from app.extensions import queue
from app.feedback.models import Feedback
from tests.account.seed import make_user
from tests.support.conftest import FLAKY, support_events
from tests.support.test_guard import support_requests

# (endpoint, method) -> (the events it records, the form it posts)
EXPECTED = {
    ("support.index", "GET"): ("support_viewed_overview", None),
    ("support.jobs", "GET"): ("support_viewed_jobs", None),
    ("support.retry", "POST"): ("support_retried_job", {}),
    ("support.delete", "POST"): ("support_deleted_job", {}),
    ("support.start_run", "POST"): ("support_started_run", {}),
    ("support.run", "GET"): ("support_viewed_run", None),
    ("support.feedback", "GET"): ("support_viewed_feedback_inbox", None),
    ("support.feedback_item", "GET"): ("support_read_feedback", None),
    ("support.mark_handled", "POST"): ("support_handled_feedback", {}),
    ("support.find_account", "GET"): ("support_viewed_account_search", None),
    ("support.account", "GET"): ("support_viewed_account", None),
    ("support.shorten", "POST"): ("purge_window_shortened support_shortened_window",
                                  {"days": "0", "reason": "ticket 12"}),
}


def test_every_view_and_action_records_its_event(app, support_client, failed_job, dbs):
    job_id, _ = failed_job
    feedback = Feedback(message="hello", status="open")
    deleted = make_user(dbs, "gone@example.com", deleted_at=utcnow(), purge_after=utcnow() + timedelta(days=30))
    dbs.add(feedback)
    dbs.commit()
    values = {"job_id": job_id, "kind": "purge-dry-run", "feedback_id": feedback.id, "user_id": deleted.id}
    run_id = None
    requests = [(e, m) for e, m, _ in support_requests(app) if m in {"GET", "POST"}]
    assert sorted(requests) == sorted(EXPECTED), "a new support URL needs its audit expectation here"
    # The order matters only where one action uses up its object: retry before delete, run before its page.
    order = sorted(EXPECTED, key=lambda key: (key == ("support.delete", "POST"), key == ("support.run", "GET")))
    for endpoint, method in order:
        action, form = EXPECTED[(endpoint, method)]
        if endpoint == "support.delete":  # the first failed job was retried: delete another one
            values["job_id"] = _fail_another(app)
        if endpoint == "support.run":
            values["job_id"] = run_id
        with app.test_request_context():
            url = app.url_for(endpoint, **{k: v for k, v in values.items() if k in _arguments(app, endpoint)})
        before = len(support_events(dbs, support_client.user.id))
        response = support_client.post_form(url, form) if method == "POST" else support_client.get(url)
        assert response.status_code in {200, 303}, (endpoint, response.status_code)
        if endpoint == "support.start_run":
            run_id = response.headers["Location"].rsplit("/", 1)[1]
        events = support_events(dbs, support_client.user.id)[before:]
        assert [e.action for e in events] == action.split(), (endpoint, [e.action for e in events])
        assert events[-1].ip == "127.0.0.1" and events[-1].user_id is None


def _arguments(app, endpoint: str) -> set[str]:
    return next(rule.arguments for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)


def _fail_another(app) -> str:
    with app.app_context():
        record = tasks.start(None, "sample", FLAKY, "note")
        app.extensions["redis"].delete("test:allow-retry")
        SimpleWorker([queue("default")], connection=app.extensions["redis"]).work(burst=True)
    return f"sample-{record.id}"


def test_head_options_and_missing_objects_are_audited_too(support_client, dbs):
    assert support_client.head("/support/jobs").status_code == 200
    assert support_client.options("/support/jobs").status_code == 200
    assert support_client.get("/support/feedback/999").status_code == 404
    assert support_client.get("/support/nowhere").status_code == 404
    events = [(e.action, e.details.get("method"), e.details.get("status"))
              for e in support_events(dbs, support_client.user.id)]
    assert events == [("support_viewed_jobs", None, None), ("support_request", "OPTIONS", 200),
                      ("support_read_feedback", None, None), ("support_request", "GET", 404)]
    assert dbs.scalar(select(Feedback)) is None
