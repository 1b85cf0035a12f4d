"""/feedback: anyone may write, from any page; signed-in feedback belongs to the account."""
from __future__ import annotations

from flask import Blueprint, current_app, request, url_for
from flask_login import current_user

from app import audit, db
from app.extensions import limiter
from app.feedback.forms import FeedbackForm
from app.feedback.models import Feedback
from app.rendering import done, render
from app.security import safe_next

bp = Blueprint("feedback", __name__)


@bp.get("/feedback")
def feedback():
    """The form, remembering which page the link was followed from."""
    form = FeedbackForm(page=safe_next(request.args.get("page"), ""))
    return render("feedback/form.html", form=form)


@bp.post("/feedback")
@limiter.limit(lambda: current_app.config["FEEDBACK_LIMIT_PER_IP"], methods=["POST"])
def send():
    """Stores the message (status open, for the support console) and thanks the sender."""
    form = FeedbackForm()
    if not form.validate_on_submit():
        return render("feedback/form.html", fragments=("feedback_form",), form=form, status=422)
    signed_in = current_user.is_authenticated
    item = Feedback(user_id=current_user.id if signed_in else None, message=form.message.data.strip(),
                    page=safe_next(form.page.data, "")[:300] or None,
                    reply_to=None if signed_in else ((form.reply_to.data or "").strip().lower() or None))
    db.session.add(item)
    db.session.flush()
    if signed_in:
        audit.record(f"user:{current_user.id}", "feedback_sent", f"feedback:{item.id}", user_id=current_user.id)
    db.session.commit()
    return done(url_for("feedback.thanks"))


@bp.get("/feedback/thanks")
def thanks():
    """The thank-you page."""
    return render("feedback/thanks.html")
