"""Account pages: settings, address change, export, deletion, the activity log. Routes stay thin."""
from __future__ import annotations

from flask import Blueprint, abort, request, send_file, session, url_for
from flask_login import current_user, login_required, logout_user
from sqlalchemy import select

from app import audit, db, tasks
from app.account import activity_log, deletion, email_change, export
from app.account.forms import ButtonForm, DeleteForm, EmailChangeForm, ProfileForm
from app.account.mails import local_date
from app.account.models import DataExport
from app.errors import error_response
from app.rendering import done, render

bp = Blueprint("account", __name__, url_prefix="/account")


def _me():
    return current_user._get_current_object()


def _account_page(profile: ProfileForm | None = None, email: EmailChangeForm | None = None, status: int = 200):
    user = _me()
    profile = profile or ProfileForm(obj=user)
    email = email or EmailChangeForm(current_email=user.email)
    return render("account/index.html", fragments=("profile_form", "email_form"), status=status,
                  profile=profile, email_form=email)


@bp.get("")
@login_required
def index():
    """Name, time zone, reminders and e-mail address, with links to export, log and deletion."""
    return _account_page()


@bp.post("/profile")
@login_required
def update_profile():
    """Saves name, time zone and reminder setting; audits which of them changed."""
    user = _me()
    form = ProfileForm()
    if not form.validate_on_submit():
        return _account_page(profile=form, status=422)
    changed = [name for name, value in (("name", form.name.data.strip()), ("time_zone", form.time_zone.data),
                                        ("reminders_enabled", bool(form.reminders_enabled.data)))
               if getattr(user, name) != value]
    user.name = form.name.data.strip()
    user.time_zone = form.time_zone.data
    user.reminders_enabled = bool(form.reminders_enabled.data)
    if changed:
        audit.record(f"user:{user.id}", "profile_changed", f"user:{user.id}", user_id=user.id, fields=changed)
    db.session.commit()
    return done(url_for("account.index"), "Your settings are saved." if changed else "Nothing to change.")


@bp.post("/email")
@login_required
def request_email_change():
    """Mails a confirmation link to the new address; nothing changes until it is opened."""
    user = _me()
    form = EmailChangeForm(current_email=user.email)
    if not form.validate_on_submit():
        return _account_page(email=form, status=422)
    email_change.request_change(user, form.new_email.data)
    return done(url_for("account.index"),
                f"We sent a link to {form.new_email.data.strip().lower()}. Open it to confirm the new address.")


@bp.get("/email/<token>")
def confirm_email(token: str):
    """The mailed link: a page with one button, so that link scanners change nothing."""
    change = email_change.find_live(token)
    if change is None:
        return render("auth/link_dead.html", status=410)
    return render("account/confirm_email.html", form=ButtonForm(), token=token, new_email=change.new_email)


@bp.post("/email/<token>")
def confirm_email_post(token: str):
    """Moves the account to the new address and tells the old one."""
    form = ButtonForm()
    if not form.validate_on_submit():
        return render("account/confirm_email.html", form=form, token=token, new_email="", status=422)
    user = email_change.confirm(token)
    if user is None:
        return render("auth/link_dead.html", status=410)
    message = f"Your e-mail address is now {user.email}."
    if current_user.is_authenticated and current_user.id == user.id:
        return done(url_for("account.index"), message)
    return done(url_for("auth.sign_in"), message + " Sign in with it from now on.")


@bp.get("/export")
@login_required
def export_page():
    """Start an export; follow its progress; download a ready one within its 24 hours."""
    exports = db.session.scalars(select(DataExport).where(DataExport.user_id == current_user.id)
                                 .order_by(DataExport.created_at.desc()).limit(5)).all()
    waiting = next((e for e in exports if e.state == "queued"), None)
    record = tasks.owned_record(waiting.job_record_id, current_user.id) if waiting and waiting.job_record_id else None
    return render("account/export.html", fragments=("exports",), exports=exports, record=record,
                  form=ButtonForm())


@bp.post("/export")
@login_required
def start_export():
    """Starts building the ZIP in the background (a second click joins the one on its way)."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    export.start_export(_me())
    return done(url_for("account.export_page"), "Your export is being prepared. It takes a minute or two.")


@bp.get("/export/<export_id>/download")
@login_required
def export_download(export_id: str):
    """The ZIP, for its owner only (404 for anyone else), until it expires (then 410)."""
    item = export.owned_export(current_user.id, export_id)
    if item is None:
        abort(404)
    try:
        path = export.file_for_download(item)
    except export.ExportGone:
        return error_response(410, "This export has expired",
                              "Exports are kept for 24 hours. Start a new one on the export page.")
    audit.record(f"user:{current_user.id}", "export_downloaded", f"export:{item.id}", user_id=current_user.id,
                 commit=True)
    response = send_file(path, mimetype="application/zip", as_attachment=True, max_age=0,
                         download_name=f"ce-tracker-export-{item.finished_at:%Y-%m-%d}.zip")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/delete")
@login_required
def delete_page():
    """What deleting means, and the form that asks for the address."""
    return render("account/delete.html", fragments=("delete_form",), form=DeleteForm(email=current_user.email))


@bp.post("/delete")
@login_required
def delete():
    """Deletes the account at once (restorable by signing in within the window) and signs out."""
    user = _me()
    form = DeleteForm(email=user.email)
    if not form.validate_on_submit():
        return render("account/delete.html", fragments=("delete_form",), form=form, status=422)
    purge_after = deletion.delete_account(user)
    until = local_date(purge_after, user.time_zone)
    logout_user()
    session.clear()
    return done(url_for("pages.home"),
                f"Your account is deleted and you are signed out everywhere. Sign in again before {until} "
                "to restore it.")


@bp.get("/activity-log")
@login_required
def activity_log_page():
    """The account's own sign-ins, changes, exports and more, newest first."""
    page = request.args.get("page", 1, type=int) or 1
    return render("account/activity_log.html", fragments=("activity_log",), log=activity_log.page_of(
        current_user.id, page), describe=activity_log.describe, device=activity_log.describe_device)
