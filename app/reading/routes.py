"""“Read it for me”: the paste box, the review before sending, the progress, and the hand-over to
the pre-filled activity form. A reading is found only with the signed-in user's id (404 otherwise).
"""
from __future__ import annotations

from flask import Blueprint, abort, redirect, url_for
from flask_login import current_user, login_required

from app.certificates.service import owned_certificate, user_certificates
from app.reading import service, store
from app.reading.forms import PasteForm, ReadCertificateForm, SendForm
from app.reading.service import CannotRead
from app.rendering import done, htmx_redirect, is_htmx, render, vary

bp = Blueprint("reading", __name__, url_prefix="/read")


@bp.before_request
@login_required
def _signed_in_only():
    """Every reading URL is for a signed-in user."""


def _user():
    return current_user._get_current_object()


def _owned_or_404(reading_id: str):
    reading = store.get(current_user.id, reading_id)
    if reading is None:
        abort(404)
    return reading


def _start_page(form: PasteForm, status: int = 200):
    certificates = [c for c in user_certificates(current_user.id) if c.is_verified and c.activity_id is None]
    return render("reading/start.html", fragments=("paste_form",), status=status, form=form,
                  certificates=certificates, button=ReadCertificateForm(), reads_left=service.reads_left(_user()),
                  plan=service.plan_for_paste(_user()))


@bp.get("")
def start():
    """Paste a certificate's text, or pick an uploaded certificate, to have it read."""
    return _start_page(PasteForm())


@bp.post("")
def paste():
    """Takes the pasted text and shows what will happen to it before anything is sent."""
    form = PasteForm()
    if not form.validate_on_submit():
        return _start_page(form, status=422)
    reading = service.start_from_text(_user(), form.text.data)
    return done(url_for("reading.show", reading_id=reading.id))


@bp.post("/certificate/<int:certificate_id>")
def from_certificate(certificate_id: int):
    """Starts reading one of the user's verified certificates (the review page comes first)."""
    certificate = owned_certificate(current_user.id, certificate_id)
    if certificate is None:
        abort(404)
    if not ReadCertificateForm().validate_on_submit():
        abort(400)
    try:
        reading = service.start_from_certificate(_user(), certificate)
    except CannotRead as problem:
        return done(url_for("certificates.show", certificate_id=certificate.id), problem.user_message, "error")
    return done(url_for("reading.show", reading_id=reading.id))


def _review(reading, form: SendForm, problem: str | None = None, status: int = 200):
    return render("reading/review.html", fragments=("send_form",), status=status, reading=reading, form=form,
                  plan=service.plan_for(_user(), reading), problem=problem, reviewing=True,
                  reads_left=service.reads_left(_user()))


@bp.get("/<reading_id>")
def show(reading_id: str):
    """Before sending: what will be read, by whom, and what is flagged; then the progress; then the form."""
    reading = _owned_or_404(reading_id)
    if reading.finished:
        url = service.prefilled_form_url(reading.id)
        return htmx_redirect(url) if is_htmx() else vary(redirect(url, code=303))
    if reading.state == "review":
        return _review(reading, SendForm(data={"text": reading.text}))
    record = service.job_of(reading)
    return render("reading/review.html", fragments=("reading_status",), reading=reading, record=record,
                  reviewing=False)


@bp.post("/<reading_id>")
def send(reading_id: str):
    """Reads it as reviewed: 422 with the flagged text until it is removed or confirmed."""
    reading = _owned_or_404(reading_id)
    form = SendForm()
    if not form.validate_on_submit():
        return _review(reading, form, status=422)
    text = form.text.data if reading.text or reading.source == "paste" else None
    problem = service.send(_user(), reading, text, bool(form.confirm.data))
    if problem:
        return _review(reading, SendForm(data={"text": reading.text}), problem=problem, status=422)
    return done(url_for("reading.show", reading_id=reading.id))

