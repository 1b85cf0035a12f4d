"""Another user's object answers 404 on its URLs whatever the method, PUT, DELETE and OPTIONS included.

Flask answers a method a URL does not take with 405, and OPTIONS with 200, before any view looks
the id up: that would tell a stranger which ids exist. Packages register, per URL parameter, how to
tell whether the signed-in user owns an object (`register("license_id", is_owned)`); for a method
the URL does not take (or OPTIONS), a before-request hook matches the URL as it would for a method
it does take, and answers 404 unless the user owns every registered id in it. Only the owner learns
the URL's methods (405 with Allow, or the OPTIONS answer).
"""
from __future__ import annotations

from collections.abc import Callable

from flask import Flask, abort, current_app, request
from flask_login import current_user
from werkzeug.exceptions import MethodNotAllowed, NotFound

OWNERS: dict[str, Callable[[int, object], bool]] = {}


def register(parameter: str, is_owned: Callable[[int, object], bool]) -> None:
    """is_owned(user_id, value) -> whether that user owns the object the URL parameter names."""
    OWNERS[parameter] = is_owned


def _view_args() -> dict | None:
    failure = request.routing_exception
    if failure is None:
        return request.view_args if request.method == "OPTIONS" else None
    if not isinstance(failure, MethodNotAllowed):
        return None
    adapter = current_app.create_url_adapter(request)
    for method in failure.valid_methods or ():
        try:
            return adapter.match(method=method)[1]
        except (MethodNotAllowed, NotFound):
            continue
    return None


def _hide_other_users_objects() -> None:
    args = _view_args()
    if not args:
        return
    checks = [(OWNERS[name], value) for name, value in args.items() if name in OWNERS]
    if not checks:
        return
    user_id = current_user.id if current_user.is_authenticated else None
    if user_id is None or not all(is_owned(user_id, value) for is_owned, value in checks):
        abort(404)


def init_app(app: Flask) -> None:
    app.before_request(_hide_other_users_objects)
