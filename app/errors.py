"""Error pages: a whole page for a plain request, a message swapped into #messages for htmx."""
from __future__ import annotations

import logging

from flask import Flask, redirect, request, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.rendering import htmx_redirect, is_htmx, render, vary, wants_fragment
from app.security import path_without_secrets, safe_next

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("Something in that request was not right", "Go back, check the form and try again."),
    403: ("You cannot open this page", "Your account does not have access to it."),
    404: ("Page not found", "It may have been deleted, or the address is mistyped."),
    405: ("That action is not allowed here", "Go back and use the page's own buttons."),
    410: ("This link no longer works", "It was used already or it expired."),
    413: ("That file is too large", "Choose a smaller file and try again."),
    429: ("Too many tries", "Wait a while, then try again."),
    500: ("Something went wrong on our side", "It has been logged. Try again in a minute."),
}


def error_response(status: int, title: str | None = None, detail: str | None = None):
    default_title, default_detail = MESSAGES.get(status, MESSAGES[500])
    response = render("errors/error.html", block="error_message", status=status,
                      title=title or default_title, detail=detail or default_detail, code=status)
    if wants_fragment():  # a boosted or history request gets the whole page, swapped as a page
        response.headers["HX-Retarget"] = "#messages"
        response.headers["HX-Reswap"] = "innerHTML"
    return response


def unauthorized():
    """A visitor (or an expired session) on a signed-in page: to sign-in, never into a fragment."""
    target = url_for("auth.sign_in", next=safe_next(request.full_path.rstrip("?"), ""))
    if is_htmx():
        response = htmx_redirect(target)
        response.status_code = 401
        return response
    return vary(redirect(target, code=303))  # the same URL answers htmx differently


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        return error_response(400, "This form has expired",
                              "Reload the page and submit it again. Nothing was saved.")

    @app.errorhandler(HTTPException)
    def http_error(error):
        response = error_response(error.code or 500)
        if getattr(error, "valid_methods", None):  # a 405 must say what is allowed
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Exception)
    def server_error(error):
        log.exception("unhandled error on %s %s", request.method, path_without_secrets())
        return error_response(500)
