"""/support/feedback: the inbox of feedback messages; read one, mark it handled."""
from __future__ import annotations

from flask import abort, request, url_for

from app import db
from app.rendering import done, render
from app.support import inbox
from app.support.forms import ButtonForm
from app.support.routes import audited, bp


@bp.get("/feedback")
def feedback():
    """Open messages (or handled ones), a line of each."""
    listing = inbox.page_of(request.args.get("status", "open"), request.args.get("page", 1, type=int) or 1)
    audited("support_viewed_feedback_inbox", None, status=listing.status, page=listing.page)
    return render("support/feedback.html", fragments=("inbox",), listing=listing)


@bp.get("/feedback/<int:feedback_id>")
def feedback_item(feedback_id: int):
    """One message in full, who sent it, and the page it was written on."""
    message = inbox.get(feedback_id)
    audited("support_read_feedback", f"feedback:{feedback_id}", found=message is not None)
    if message is None:
        abort(404)
    return render("support/feedback_item.html", message=message, form=ButtonForm())


@bp.post("/feedback/<int:feedback_id>/handled")
def mark_handled(feedback_id: int):
    """Marks the message handled: it leaves the open list."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    message = inbox.get(feedback_id)
    if message is None:
        audited("support_handled_feedback", f"feedback:{feedback_id}", found=False)
        abort(404)
    changed = inbox.mark_handled(message.item)
    db.session.commit()
    audited("support_handled_feedback", f"feedback:{feedback_id}", found=True, changed=changed)
    return done(url_for("support.feedback"), f"Message #{feedback_id} is marked handled."
                if changed else f"Message #{feedback_id} was handled already.")
