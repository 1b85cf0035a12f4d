"""Every state-changing route refuses a request without a CSRF token, found by walking the URL map
so that routes added later are covered without touching this file."""
from __future__ import annotations

import uuid

import pytest

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
DUMMY_BY_CONVERTER = {"IntegerConverter": 1, "FloatConverter": 1.5, "UUIDConverter": uuid.UUID(int=1),
                      "PathConverter": "some/path", "UnicodeConverter": "x"}


def dummy_value(converter):
    if type(converter).__name__ == "AnyConverter":
        return sorted(converter.items)[0]
    return DUMMY_BY_CONVERTER.get(type(converter).__name__, "x")


def state_changing_urls(app) -> list[tuple[str, str]]:
    """(method, url) for every rule that accepts a state-changing method, converters filled in."""
    found = []
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) & STATE_CHANGING):
            values = {name: dummy_value(conv) for name, conv in rule._converters.items()}
            found.append((method, adapter.build(rule.endpoint, values, method=method)))
    return found


def test_the_walk_finds_the_sign_in_routes(app):
    urls = state_changing_urls(app)
    assert {("POST", "/sign-in"), ("POST", "/sign-in/code"), ("POST", "/sign-in/x"), ("POST", "/welcome"),
            ("POST", "/welcome/restore"), ("POST", "/sign-out")} <= set(urls)


@pytest.fixture(params=["visitor", "signed_in"])
def browser(request, client, auth):
    if request.param == "signed_in":
        auth.sign_up(client, "ann@example.com")
    return client


def test_every_state_changing_route_refuses_a_missing_token(app, browser):
    failures = []
    for method, url in state_changing_urls(app):
        plain = browser.open(url, method=method, data={"name": "x"})
        page = plain.get_data(as_text=True)
        if plain.status_code != 400 or "This form has expired" not in page or "<html" not in page:
            failures.append(f"plain {method} {url}: {plain.status_code}")
        htmx = browser.open(url, method=method, data={"name": "x"}, headers={"HX-Request": "true"})
        fragment = htmx.get_data(as_text=True)
        if (htmx.status_code != 400 or "This form has expired" not in fragment or "<html" in fragment
                or htmx.headers.get("HX-Retarget") != "#messages"):
            failures.append(f"htmx {method} {url}: {htmx.status_code} {htmx.headers.get('HX-Retarget')}")
        boosted = browser.open(url, method=method, data={"name": "x"},
                               headers={"HX-Request": "true", "HX-Boosted": "true"})
        whole = boosted.get_data(as_text=True)
        if boosted.status_code != 400 or "<html" not in whole or "HX-Retarget" in boosted.headers:
            failures.append(f"boosted {method} {url}: a whole page swapped into #messages")
    assert failures == []


def test_a_wrong_token_is_refused_and_changes_nothing(user_client):
    response = user_client.post("/sign-out", data={"csrf_token": "forged"})
    assert response.status_code == 400
    assert user_client.get("/dashboard").status_code == 200
