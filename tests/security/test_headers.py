"""Security headers on every page, and templates free of anything the CSP would have to allow."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "templates"
VISITOR_PAGES = ["/", "/privacy", "/terms", "/sign-in", "/sign-in/code", "/no-such-page"]
USER_PAGES = ["/dashboard", "/privacy", "/no-such-page"]


def csp_directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("path", VISITOR_PAGES)
def test_visitor_pages_carry_the_security_headers(client, path):
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    directives = csp_directives(response)
    assert directives["default-src"] == "default-src 'self'"
    assert directives["frame-ancestors"] == "frame-ancestors 'none'"
    assert directives["script-src"] == "script-src 'self'" and directives["style-src"] == "style-src 'self'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # same-origin, not no-referrer: Flask-WTF checks the Referer of HTTPS form posts
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "HX-Request" in response.headers.get("Vary", "")


def test_signed_in_pages_are_never_stored(user_client):
    for path in USER_PAGES:
        response = user_client.get(path)
        assert "no-store" in response.headers.get("Cache-Control", ""), path
        assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "no-store" in user_client.htmx_get("/dashboard").headers["Cache-Control"]


def test_sign_in_pages_are_never_stored(client):
    for path in ["/sign-in", "/sign-in/code", "/sign-in/some-token"]:
        assert "no-store" in client.get(path).headers.get("Cache-Control", ""), path


def test_a_visitor_sent_to_sign_in_gets_a_vary_header(client):
    """The same URL answers a plain request and an htmx request differently."""
    plain, htmx = client.get("/dashboard"), client.htmx_get("/dashboard")
    assert plain.status_code == 303 and "HX-Redirect" in htmx.headers
    assert "HX-Request" in plain.headers.get("Vary", "") and "HX-Request" in htmx.headers.get("Vary", "")


INLINE_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S | re.I)
TAG = re.compile(r"<[a-zA-Z][^<>]*>", re.S)
FORBIDDEN_IN_TAGS = {
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event handler": re.compile(r"\son[a-z]+\s*=", re.I),
    "hx-on": re.compile(r"\s(data-)?hx-on", re.I),
    "javascript: URL": re.compile(r"=\s*[\"']?\s*javascript:", re.I),
}


def template_problems(path: Path) -> list[str]:
    text = path.read_text()
    name = path.relative_to(TEMPLATES)
    problems = [f"{name}: inline script" for body in INLINE_SCRIPT.findall(text) if body.strip()]
    if re.search(r"<style\b", text, re.I):
        problems.append(f"{name}: <style> element")
    for tag in TAG.findall(text):
        problems.extend(f"{name}: {what} in {tag[:60]}" for what, pattern in FORBIDDEN_IN_TAGS.items()
                        if pattern.search(tag))
    return problems


def test_templates_have_no_inline_script_style_or_handlers():
    templates = sorted(TEMPLATES.rglob("*.html"))
    assert len(templates) > 10
    problems = [problem for path in templates for problem in template_problems(path)]
    assert problems == []


def test_the_template_scan_catches_what_it_looks_for(tmp_path, monkeypatch):
    monkeypatch.setattr("tests.security.test_headers.TEMPLATES", tmp_path)
    bad = tmp_path / "probe.html"
    bad.write_text('<script>alert(1)</script><p style="color:red" onclick="x()" hx-on:click="y()">'
                   '<a href="javascript:void(0)">x</a><style>p{}</style>')
    assert len(template_problems(bad)) == 6
