"""Page or fragment (app/rendering.py), sign-in redirects for htmx, and error pages (app/errors.py)."""
from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from flask import Blueprint, abort

from app.db import utcnow
from app.tasks import JobRecord


@pytest.fixture
def job(user_client, dbs):
    record = JobRecord(user_id=user_client.user.id, kind="sample", state="running", progress="Reading page 2")
    dbs.add(record)
    dbs.commit()
    return record


def is_whole_page(response) -> bool:
    return "<!doctype html>" in response.get_data(as_text=True)


FRAGMENT = {"HX-Request": "true", "HX-Target": "job-status"}


def test_a_plain_request_gets_the_whole_page(user_client, job):
    response = user_client.get(f"/jobs/{job.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and is_whole_page(response)
    assert "<h1>Progress</h1>" in page and 'id="job-status"' in page and "Reading page 2" in page


def test_htmx_naming_a_listed_block_gets_only_that_block(user_client, job):
    response = user_client.get(f"/jobs/{job.id}", headers=FRAGMENT)
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and not is_whole_page(response)
    assert fragment.strip().startswith('<div id="job-status"') and "<h1>" not in fragment
    assert {"HX-Request", "HX-Target"} <= set(response.vary)


@pytest.mark.parametrize("headers", [
    {"HX-Request": "true"},
    {"HX-Request": "true", "HX-Target": "main"},
    {"HX-Request": "true", "HX-Target": "job-status", "HX-Boosted": "true"},
    {"HX-Request": "true", "HX-Target": "job-status", "HX-History-Restore-Request": "true"},
    {"HX-Target": "job-status"},
], ids=["no-target", "unlisted-target", "boosted", "history-restore", "not-htmx"])
def test_everything_else_gets_the_whole_page(user_client, job, headers):
    response = user_client.get(f"/jobs/{job.id}", headers=headers)
    assert response.status_code == 200 and is_whole_page(response)
    assert "<h1>Progress</h1>" in response.get_data(as_text=True)


def test_another_users_job_is_not_found(user_client, job, make_client, auth):
    other = make_client()
    auth.sign_up(other, "bob@example.com", "Bob")
    assert other.get(f"/jobs/{job.id}").status_code == 404
    assert other.get(f"/jobs/{job.id}", headers=FRAGMENT).status_code == 404


def test_htmx_with_an_expired_session_is_sent_to_sign_in_as_a_whole_page(user_client, job):
    with time_machine.travel(utcnow() + timedelta(hours=13)):
        response = user_client.get(f"/jobs/{job.id}", headers=FRAGMENT)
        plain = user_client.get(f"/jobs/{job.id}")
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/sign-in?next=")
    assert response.get_data(as_text=True) == ""  # never a sign-in form inside the fragment
    assert plain.status_code == 303 and plain.headers["Location"].startswith("/sign-in?next=")


def test_htmx_after_sign_out_elsewhere_is_sent_to_sign_in(user_client, job, make_client, auth):
    other = make_client()
    auth.sign_in(other, "ann@example.com")
    other.post_form("/sign-out")  # ends every session of the account
    response = user_client.get(f"/jobs/{job.id}", headers=FRAGMENT)
    assert response.status_code == 401 and response.headers["HX-Redirect"].startswith("/sign-in")
    assert "<form" not in response.get_data(as_text=True)


def probe_blueprint() -> Blueprint:
    """Test-only routes for errors no real route raises yet."""
    bp = Blueprint("probe", __name__)

    @bp.get("/probe/abort/<int:code>")
    def aborts(code: int):
        abort(code)

    @bp.get("/probe/crash")
    def crash():
        raise RuntimeError("a bug")

    return bp


@pytest.fixture
def error_app(fresh_app):
    application = fresh_app(MAX_CONTENT_LENGTH=4096, SIGN_IN_LIMIT_PER_IP="1 per hour")
    application.register_blueprint(probe_blueprint())
    return application


def trigger(client, status: int, headers: dict):
    """Raises each error through a real route where one exists."""
    if status == 404:
        return client.get("/no-such-page", headers=headers)
    if status == 405:
        return client.get("/sign-out", headers=headers)
    if status == 413:
        return client.post_form("/sign-in", {"email": "a@example.com", "next": "x" * 10_000}, headers=headers)
    if status == 429:
        client.post_form("/sign-in", {"email": "a@example.com"}, headers=headers)
        return client.post_form("/sign-in", {"email": "a@example.com"}, headers=headers)
    if status == 500:
        return client.get("/probe/crash", headers=headers)
    return client.get(f"/probe/abort/{status}", headers=headers)


TITLES = {400: "Something in that request was not right", 403: "You cannot open this page",
          404: "Page not found", 405: "That action is not allowed here", 413: "That file is too large",
          429: "Too many tries", 500: "Something went wrong on our side"}


@pytest.mark.parametrize("status", sorted(TITLES))
def test_error_pages_are_whole_pages(error_app, status):
    response = trigger(error_app.test_client(), status, {})
    page = response.get_data(as_text=True)
    assert response.status_code == status
    assert is_whole_page(response) and f"<h1 class=\"h3\">{TITLES[status]}</h1>" in page
    assert "HX-Retarget" not in response.headers and 'href="/"' in page


@pytest.mark.parametrize("status", sorted(TITLES))
def test_error_fragments_for_htmx_go_to_messages(error_app, status):
    response = trigger(error_app.test_client(), status, {"HX-Request": "true", "HX-Target": "main"})
    fragment = response.get_data(as_text=True)
    assert response.status_code == status
    assert not is_whole_page(response) and TITLES[status] in fragment and 'role="alert"' in fragment
    assert response.headers["HX-Retarget"] == "#messages" and response.headers["HX-Reswap"] == "innerHTML"


def test_method_not_allowed_says_which_methods_are(client):
    response = client.get("/sign-out")
    assert response.status_code == 405
    assert {m.strip() for m in response.headers["Allow"].split(",")} == {"POST", "OPTIONS"}


def test_csrf_failure_page(client):
    response = client.post("/sign-in", data={"email": "ann@example.com"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and is_whole_page(response)
    assert "This form has expired" in page and "Nothing was saved" in page
    fragment = client.post("/sign-in", data={"email": "ann@example.com"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 400 and not is_whole_page(fragment)
    assert "This form has expired" in fragment.get_data(as_text=True)
    assert fragment.headers["HX-Retarget"] == "#messages"


TEMPLATES = Path(__file__).resolve().parents[1] / "app" / "templates"
TAGS = re.compile(r"{%-?\s*(block|endblock|from|import)\b")


def imports_outside_blocks(text: str) -> int:
    depth, found = 0, 0
    for match in TAGS.finditer(text):
        kind = match.group(1)
        depth += {"block": 1, "endblock": -1}.get(kind, 0)
        found += kind in {"from", "import"} and depth == 0
    return found


def test_page_templates_import_macros_inside_their_blocks():
    """A block rendered alone (jinja2-fragments) never sees imports made at the top of its template."""
    pages = [p for p in TEMPLATES.rglob("*.html") if "{% extends" in p.read_text()]
    assert pages
    offenders = [str(p.relative_to(TEMPLATES)) for p in pages if imports_outside_blocks(p.read_text())]
    assert offenders == []
    assert imports_outside_blocks('{% extends "b" %}{% from "m" import f %}{% block x %}{% endblock %}') == 1
