"""Methods an activity URL does not take still answer 404 for another user's id.

Flask would answer PUT, PATCH or DELETE with 405 and OPTIONS with 200 for any id, before any
look-up. Here the id is looked up first, whatever the method: another user's (or a missing) id
answers 404, and only the owner learns which methods the URL takes (405, or 204 to OPTIONS, with
Allow). The real routes turn Flask's automatic OPTIONS off (`OWN`) so that OPTIONS comes here.
"""
from __future__ import annotations

from flask import current_app, request
from flask_login import current_user
from werkzeug.exceptions import MethodNotAllowed

from app.activities.routes import bp
from app.activities.service import owned_activity_or_404
from app.activities.transfer_routes import _staged_or_404

EVERY = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")  # HEAD comes with GET
# Each URL with an id, and the methods its real routes take.
ACTIVITY_PATHS = {"/<int:activity_id>": ("GET",), "/<int:activity_id>/edit": ("GET", "POST"),
                  "/<int:activity_id>/delete": ("GET", "POST")}
IMPORT_PATHS = {"/import/<token>": ("GET", "POST"), "/import/<token>/preview": ("GET",),
                "/import/<token>/discard": ("POST",)}


def _allowed() -> list[str]:
    taken = {**ACTIVITY_PATHS, **IMPORT_PATHS}[request.url_rule.rule.removeprefix(bp.url_prefix or "")]
    return sorted({*taken, "OPTIONS"} | ({"HEAD"} if "GET" in taken else set()))


def _answer():
    allowed = _allowed()
    if request.method == "OPTIONS":
        response = current_app.response_class(status=204)
        response.headers["Allow"] = ", ".join(allowed)
        return response
    raise MethodNotAllowed(valid_methods=allowed)


def activity_other_method(activity_id: int):
    """Any other method on an activity's URL: 404 unless the activity is the user's."""
    owned_activity_or_404(current_user.id, activity_id)
    return _answer()


def import_other_method(token: str):
    """Any other method on an import's URL: 404 unless the upload is the user's."""
    _staged_or_404(token)
    return _answer()


for _path, _taken in ACTIVITY_PATHS.items():
    bp.add_url_rule(_path, "activity_other_method", activity_other_method,
                    methods=[m for m in EVERY if m not in _taken], provide_automatic_options=False)
for _path, _taken in IMPORT_PATHS.items():
    bp.add_url_rule(_path, "import_other_method", import_other_method,
                    methods=[m for m in EVERY if m not in _taken], provide_automatic_options=False)
