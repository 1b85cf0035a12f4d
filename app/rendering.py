"""Page-or-fragment rendering: the only module that reads HX-* request headers.

A fragment is returned only to a plain htmx request (not boosted, not a history restore) whose
HX-Target names one of the blocks the view lists; everything else gets the whole page.

A block rendered alone runs without the rest of its template: a macro it uses must be imported
inside the block (`{% block x %}{% from "_macros/..." import m %}...`), not at the top of the file.
"""
from __future__ import annotations

import json

from flask import flash, make_response, redirect, render_template, request
from jinja2_fragments.flask import render_block
from werkzeug.wrappers import Response


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def wants_fragment() -> bool:
    """True for htmx requests that swap part of a page (not boosted navigation or history restore)."""
    return (is_htmx() and request.headers.get("HX-Boosted") != "true"
            and request.headers.get("HX-History-Restore-Request") != "true")


def target_block(fragments: tuple[str, ...] | list[str]) -> str | None:
    """The block to render alone, if the request asks for one the view allows."""
    if not wants_fragment():
        return None
    target = (request.headers.get("HX-Target") or "").replace("-", "_")
    return target if target in fragments else None


def vary(response: Response) -> Response:
    response.vary.add("HX-Request")
    response.vary.add("HX-Target")
    return response


def render(template: str, *, fragments=(), status: int = 200, block: str | None = None,
           trigger: str | None = None, **context) -> Response:
    """Renders the page, or the requested block of it when the request asks for a fragment."""
    chosen = block if (block and wants_fragment()) else target_block(fragments)
    html = render_block(template, chosen, **context) if chosen else render_template(template, **context)
    response = make_response(html, status)
    if trigger and is_htmx():
        response.headers["HX-Trigger"] = json.dumps({"showMessage": trigger})
    return vary(response)


def htmx_redirect(url: str) -> Response:
    """Tells htmx to load a whole page; only ever given our own URLs."""
    response = make_response("", 200)
    response.headers["HX-Redirect"] = url
    return vary(response)


def done(url: str, message: str | None = None, category: str = "success") -> Response:
    """After a successful POST: flash and 303 for a plain form, HX-Redirect for htmx."""
    if message:
        flash(message, category)
    if is_htmx():
        return htmx_redirect(url)
    return vary(redirect(url, code=303))
