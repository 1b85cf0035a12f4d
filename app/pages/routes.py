"""Home, privacy, terms, the dashboard, and the polling status of a background job."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, url_for
from flask_login import current_user, login_required

from app import tasks
from app.rendering import render

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    """What CE Tracker does, for a visitor; the dashboard for a signed-in user."""
    if current_user.is_authenticated:
        return redirect(url_for("pages.dashboard"))
    return render("pages/home.html")


@bp.get("/privacy")
def privacy():
    """The privacy policy, with the operator's name, contact and effective date from settings."""
    return render("pages/privacy.html", config=current_app.config)


@bp.get("/terms")
def terms():
    """The terms of use."""
    return render("pages/terms.html", config=current_app.config)


@bp.get("/dashboard")
@login_required
def dashboard():
    """What the user still needs, license by license; an honest empty state for a new account."""
    cards = current_app.extensions.get("dashboard_cards", lambda user: [])(current_user)
    return render("pages/dashboard.html", cards=cards)


@bp.get("/jobs/<record_id>")
@login_required
def job_status(record_id: str):
    """A job's progress: a fragment that polls while it runs, a page with "check again" without JS."""
    record = tasks.owned_record(record_id, current_user.id)
    if record is None:
        abort(404)
    return render("pages/job_status.html", fragments=("job_status",), record=record)
