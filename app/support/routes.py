"""/support: the console for staff with the support role (granted by `flask users grant-support`).

Every URL under /support, whatever the method, goes through `_support_only`: a visitor is sent
to sign in, a signed-in user without the role gets 403 (and the attempt is audited). Every view
and action of support is audited: each view records its own event through `audited`, and a view
that records none (an error page, say) is audited by `_audit_the_rest` as a plain request.

Support events have no user_id: they are the operator's records, not any user's data, so they
stay out of users' activity logs and exports (the one about a user's window, which the user
should see, is recorded by app.account.deletion.shorten_purge_window).
"""
from __future__ import annotations

from flask import Blueprint, abort, g, request
from flask_login import current_user

from app import audit, db
from app.extensions import login_manager
from app.rendering import render
from app.support import inbox, queues, runs

bp = Blueprint("support", __name__, url_prefix="/support")


def actor() -> str:
    return f"support:{current_user.id}"


def audited(action: str, subject: str | None = None, **details) -> None:
    """Records (and commits) one support event for the current request."""
    audit.record(actor(), action, subject, commit=True, **details)
    g.support_audited = True


def _under_support() -> bool:
    return request.path == bp.url_prefix or request.path.startswith(bp.url_prefix + "/")


@bp.before_app_request
def _support_only():
    """Visitors to sign-in, plain users 403, for every method (OPTIONS and HEAD included) and for
    every path under /support, even one that does not exist (so a 404 tells an outsider nothing)."""
    if not _under_support():
        return None
    if not current_user.is_authenticated:
        g.support_audited = True  # nobody to name; the sign-in page is all a visitor gets
        return login_manager.unauthorized()
    if not current_user.is_support:
        g.support_audited = True
        db.session.rollback()
        audit.record(f"user:{current_user.id}", "support_access_denied", None, commit=True,
                     endpoint=request.endpoint, method=request.method)
        abort(403)
    return None


@bp.after_app_request
def _audit_the_rest(response):
    """A support request whose view recorded nothing (a 404 for a gone job, say) is still audited."""
    if _under_support() and not g.get("support_audited") and current_user.is_authenticated and current_user.is_support:
        db.session.rollback()
        audit.record(actor(), "support_request", None, commit=True, endpoint=request.endpoint,
                     method=request.method, status=response.status_code)
    return response


@bp.get("")
def index():
    """The console's front page: what needs attention in jobs, feedback and accounts."""
    audited("support_viewed_overview")
    states = queues.queue_states()
    return render("support/index.html", queues=states, failed=sum(q.failed for q in states),
                  scheduler_alive=queues.scheduler_alive(), heartbeat=queues.last_heartbeat(),
                  feedback=inbox.counts(), recent_runs=runs.recent()[:5])


from app.support import account_routes, inbox_routes, job_routes  # noqa: E402,F401  (they add their views to bp)
