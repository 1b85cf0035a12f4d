"""The "next" address through the whole sign-in flow: only a path on this site is followed.

The payloads are those of Django's url_has_allowed_host_and_scheme test_bad_urls
(django/tests/utils_tests/test_http.py).
"""
from __future__ import annotations

from urllib.parse import parse_qs, quote, urlsplit

import pytest

from app.security import safe_next
from tests.mailbox import sign_in_code

BAD_URLS = [
    "http://example.com",
    "http:///example.com",
    "https://example.com",
    "ftp://example.com",
    r"\\example.com",
    r"\\\\example.com",
    r"/\\/example.com",
    r"\\\\localhost",
    r"\\//example.com",
    r"/\/example.com",
    r"\/example.com",
    r"/\example.com",
    r"http:/\//example.com",
    r"http:\/example.com",
    r"http:/\example.com",
    'javascript:alert("XSS")',
    "\njavascript:alert(x)",
    "\x08//example.com",
    r"http://otherserver\@example.com",
    r"http:\\testserver\@example.com",
    r"http://testserver\me:pass@example.com",
    r"http://testserver\@example.com",
    r"http:\\testserver\confirm\me@example.com",
    "http:999999999",
    "ftp:9999999999",
    "\n",
    "http://[2001:cdba:0000:0000:0000:0000:3257:9652/",
    "http://2001:cdba:0000:0000:0000:0000:3257:9652]/",
    "//example.com",
    "///example.com",
]


@pytest.fixture
def ann_signed_out(client, auth, app, monkeypatch):
    for limit in ("SIGN_IN_LIMIT_PER_ADDRESS", "SIGN_IN_LIMIT_PER_IP", "CODE_LIMIT_PER_IP"):
        monkeypatch.setitem(app.config, limit, "1000 per hour")  # dozens of sign-ins in one test
    auth.sign_up(client, "ann@example.com")
    client.post_form("/sign-out")
    return client


def sign_in_with_next(client, auth, next_value: str):
    """Opens /sign-in?next=..., posts the form with that next, types the code: the final Location."""
    page = client.get("/sign-in?next=" + quote(next_value, safe=""))
    assert page.status_code == 200
    auth.mailbox.clear()
    assert client.post_form("/sign-in", {"email": "ann@example.com", "next": next_value}).status_code == 303
    auth.run_jobs()
    code = sign_in_code(auth.mailbox.wait_for("ann@example.com"))
    response = client.post_form("/sign-in/code", {"code": code})
    assert response.status_code == 303
    return response.headers["Location"]


def test_every_bad_next_lands_on_the_dashboard(ann_signed_out, auth):
    landed = {}
    for bad in BAD_URLS:
        landed[bad] = sign_in_with_next(ann_signed_out, auth, bad)
        ann_signed_out.post_form("/sign-out")
    assert {bad: "/dashboard" for bad in BAD_URLS} == landed


def test_a_safe_relative_next_is_kept(ann_signed_out, auth):
    assert sign_in_with_next(ann_signed_out, auth, "/dashboard?x=1") == "/dashboard?x=1"


def test_a_visitor_sent_to_sign_in_comes_back_where_they_were(ann_signed_out, auth):
    response = ann_signed_out.get("/jobs/abc?page=2")
    assert response.status_code == 303
    location = urlsplit(response.headers["Location"])
    assert location.path == "/sign-in" and parse_qs(location.query) == {"next": ["/jobs/abc?page=2"]}
    assert sign_in_with_next(ann_signed_out, auth, "/jobs/abc?page=2") == "/jobs/abc?page=2"


@pytest.mark.parametrize("bad", BAD_URLS)
def test_safe_next_refuses(bad):
    assert safe_next(bad, "/dashboard") == "/dashboard"
