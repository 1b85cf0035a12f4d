"""Certificate pages: the list, upload (alone or for an activity), status, download, deletion.

Every certificate and activity is looked up with the signed-in user's id: another user's id
answers 404 to every URL and method here.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, request, url_for
from flask_login import current_user, login_required

from app import ownership
from app.certificates import service
from app.certificates.checks import KINDS, PDF, Refused
from app.certificates.deletion import delete_certificate
from app.certificates.forms import DeleteForm, UploadForm
from app.certificates.names import content_disposition, download_name
from app.errors import error_response
from app.rendering import done, render

bp = Blueprint("certificates", __name__)
ownership.register("certificate_id",
                   lambda user_id, certificate_id: service.owned_certificate(user_id, certificate_id) is not None)

FILE_CSP = "sandbox; default-src 'none'; img-src 'self'"
INTEGRITY_TITLE = "This file failed its integrity check"


def _owned_or_404(certificate_id: int):
    certificate = service.owned_certificate(current_user.id, certificate_id)
    if certificate is None:
        abort(404)
    return certificate


@bp.get("/certificates")
@login_required
def index():
    """The user's certificates with their status, newest first."""
    return render("certificates/index.html", certificates=service.user_certificates(current_user.id))


@bp.route("/certificates/new", methods=["GET", "POST"])
@login_required
def new():
    """Upload a certificate on its own (it can be attached to an activity later)."""
    return _upload(None)


@bp.route("/activities/<int:activity_id>/certificate", methods=["GET", "POST"])
@login_required
def upload_for_activity(activity_id: int):
    """Upload the certificate of one of the user's activities."""
    from app.activities.service import owned_activity_or_404  # activities import certificates
    return _upload(owned_activity_or_404(current_user.id, activity_id))


def _upload(activity):
    form = UploadForm()
    context = {"form": form, "activity": activity, "max_mb": current_app.config["MAX_UPLOAD_MB"],
               "attached": service.activity_certificates(current_user.id, activity.id) if activity else []}
    if request.method == "GET":
        return render("certificates/new.html", **context)
    if not form.validate_on_submit():
        return render("certificates/new.html", fragments=("upload_form",), status=422, **context)
    upload = None
    try:
        upload = service.chosen_file(form.file.data, form.photo.data)
        certificate = service.accept_upload(current_user, upload, activity)
    except service.TooLarge:
        return error_response(413, "That file is too large",
                              f"A certificate file can be up to {context['max_mb']} MB. "
                              "Choose a smaller file, or take a photo of the certificate instead.")
    except Refused as refusal:
        field = form.photo if upload is not None and upload is form.photo.data else form.file
        field.errors = [*field.errors, refusal.message]
        return render("certificates/new.html", fragments=("upload_form",), status=422, **context)
    return done(url_for("certificates.show", certificate_id=certificate.id),
                "Certificate received. We are verifying it now.")


@bp.get("/certificates/<int:certificate_id>")
@login_required
def show(certificate_id: int):
    """One certificate; while it is verified, its status fragment polls (or "check again")."""
    certificate = _owned_or_404(certificate_id)
    return render("certificates/show.html", fragments=("certificate_status",), certificate=certificate)


@bp.get("/certificates/<int:certificate_id>/file")
@login_required
def file(certificate_id: int):
    """The certificate's bytes, hashed in full before the first byte is sent, then streamed.

    Served as an attachment (images may be asked for inline, to be shown on the certificate's
    page), with the stored type, nosniff, no-store, a sandboxing CSP and an RFC 6266 name.
    """
    certificate = _owned_or_404(certificate_id)
    if certificate.is_pending:
        return error_response(409, "This certificate is still being verified",
                              "Its file can be downloaded as soon as it is verified. Try again in a moment.")
    if certificate.status == "failed" or not certificate.sha256:
        return error_response(409, "This upload could not be stored", certificate.error or service.LOST_MESSAGE)
    if certificate.is_damaged:
        return error_response(500, INTEGRITY_TITLE, certificate.error)
    try:
        stream, size = service.open_verified(certificate)
    except service.Damaged as damage:
        return error_response(500, INTEGRITY_TITLE, service.DAMAGE_MESSAGES[damage.kind])
    kind = KINDS.get(certificate.media_type, PDF)
    inline = request.args.get("inline") == "1" and certificate.media_type in {"image/jpeg", "image/png"}
    response = Response(service.served_chunks(stream, certificate.id, certificate.sha256),
                        mimetype=certificate.media_type, direct_passthrough=True)
    response.content_length = size
    response.headers["Content-Disposition"] = content_disposition(
        download_name(certificate.original_name, kind.extensions), inline=inline)
    response.headers["Content-Security-Policy"] = FILE_CSP
    response.headers["Cache-Control"] = "no-store"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@bp.get("/certificates/<int:certificate_id>/delete")
@login_required
def confirm_delete(certificate_id: int):
    """Asks before deleting."""
    certificate = _owned_or_404(certificate_id)
    return render("certificates/confirm_delete.html", certificate=certificate, form=DeleteForm())


@bp.post("/certificates/<int:certificate_id>/delete")
@login_required
def delete(certificate_id: int):
    """Deletes the certificate; its stored file goes when no other certificate refers to it."""
    certificate = _owned_or_404(certificate_id)
    form = DeleteForm()
    if not form.validate_on_submit():
        return render("certificates/confirm_delete.html", certificate=certificate, form=form, status=422)
    delete_certificate(current_user, certificate)
    return done(url_for("certificates.index"), "Certificate deleted.")


@bp.app_template_filter("filesize")
def filesize(size: int | None) -> str:
    """1234567 -> "1.2 MB": sizes as people read them."""
    value = float(size or 0)
    for unit in ("bytes", "KB", "MB"):
        if value < 1024 or unit == "MB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} MB"


@bp.app_template_filter("file_kind")
def file_kind(media_type: str) -> str:
    kind = KINDS.get(media_type)
    return kind.label if kind else media_type
