"""Home, privacy, terms, the dashboard, and the polling status of a background job."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, make_response, redirect, request, url_for
from flask_login import current_user, login_required

from app import tasks
from app.db import utcnow
from app.pages import policy
from app.rendering import done, render, target_block, vary
from app.security import safe_next

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    """What CE Tracker does, for a visitor; the dashboard for a signed-in user."""
    if current_user.is_authenticated:
        return redirect(url_for("pages.dashboard"))
    return render("pages/home.html")


@bp.get("/privacy")
def privacy():
    """The privacy policy in force: its version and date as published, else from settings."""
    return render("pages/privacy.html", config=current_app.config, **policy.shown_version("privacy"))


@bp.get("/terms")
def terms():
    """The terms of use in force."""
    return render("pages/terms.html", config=current_app.config, **policy.shown_version("terms"))


@bp.post("/notices/<int:policy_id>/dismiss")
@login_required
def dismiss_notice(policy_id: int):
    """Hides a policy-change notice for good, for this user (kept on the server, not in a cookie)."""
    if not policy.dismiss(current_user._get_current_object(), policy_id):
        abort(404)
    if target_block(("policy_notice",)):
        return vary(make_response("", 200))  # htmx swaps the notice away
    return done(safe_next(request.form.get("next"), url_for("pages.dashboard")))


@bp.app_context_processor
def policy_notice():
    """The pending policy-change notice of the signed-in user, for base.html's _notices.html."""
    if not getattr(current_user, "is_authenticated", False):
        return {"policy_notice": None}
    today = utcnow().date()
    return {"policy_notice": policy.pending_notice(current_user, today), "policy_today": today}


@bp.get("/dashboard")
@login_required
def dashboard():
    """What the user still needs, license by license; an honest empty state for a new account."""
    from app.licenses.cards import dashboard_cards
    return render("pages/dashboard.html", cards=dashboard_cards(current_user))


@bp.get("/jobs/<record_id>")
@login_required
def job_status(record_id: str):
    """A job's progress: a fragment that polls while it runs, a page with "check again" without JS."""
    record = tasks.owned_record(record_id, current_user.id)
    if record is None:
        abort(404)
    return render("pages/job_status.html", fragments=("job_status",), record=record)
