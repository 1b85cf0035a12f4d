"""CSV export of the filtered list, and CSV import: upload, map columns, review, confirm."""
from __future__ import annotations

from flask import Response, abort, request, url_for
from flask_login import current_user
from redis.exceptions import RedisError

from app import audit, db
from app.activities import importing
from app.activities.csv_import import TARGETS, ImportProblem, guess_mapping, mapping_from_args, read_upload
from app.activities.export import to_csv
from app.activities.forms import ConfirmImportForm, UploadForm
from app.activities.listing import ActivityFilters, all_matching
from app.activities.routes import OWN, VOCABULARY, bp
from app.activities.vocabulary import FORMATS
from app.errors import error_response
from app.rendering import done, render
from app.timezones import user_today


def _unavailable():
    return error_response(503, "Importing is unavailable right now",
                          "Nothing was saved. Try again in a few minutes.")


@bp.get("/export.csv")
def export_csv():
    """The activities the current filters show, as a CSV file (formulas neutralised)."""
    filters = ActivityFilters.from_args(request.args)
    activities = all_matching(current_user.id, filters)
    audit.record(f"user:{current_user.id}", "activities_exported", None, user_id=current_user.id,
                 count=len(activities))
    db.session.commit()
    response = Response(to_csv(activities), mimetype="text/csv")
    name = f"ce-activities-{user_today(current_user).isoformat()}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/import")
def import_start():
    """Upload a CSV file of activities."""
    return render("activities/import_upload.html", form=UploadForm())


@bp.post("/import")
def import_upload():
    """Reads the file and keeps it for an hour; the next page maps its columns."""
    form = UploadForm()
    if not form.validate_on_submit():
        return render("activities/import_upload.html", form=form, status=422)
    upload = form.file.data
    try:
        parsed = read_upload(upload.filename or "upload.csv", upload.read(2 * 1024 * 1024))
    except ImportProblem as problem:
        form.file.errors = [str(problem)]
        return render("activities/import_upload.html", form=form, status=422)
    try:
        token = importing.stage(current_user.id, parsed)
    except RedisError:
        return _unavailable()
    return done(url_for("activities.import_columns", token=token))


def _staged_or_404(token: str):
    try:
        upload = importing.staged(current_user.id, token)
    except RedisError:
        abort(_unavailable())
    if upload is None:
        abort(404)
    return upload


def _choices(args, upload) -> tuple[dict, str]:
    """The mapping the person chose (marked by `mapped`), else the one guessed from the headers."""
    mapping = mapping_from_args(args, upload.headers) if args.get("mapped") else guess_mapping(upload.headers)
    default_format = args.get("default_format") if args.get("default_format") in FORMATS else ""
    return mapping, default_format


def _mapping_args(mapping: dict) -> dict:
    """The mapping as URL or hidden-field values, so that the next step keeps it."""
    return {"mapped": "1", **{f"col_{key}": index for key, index in mapping.items() if index is not None}}


@bp.get("/import/<token>", **OWN)
def import_columns(token: str):
    """Which column of the file holds which field (guessed from the headers, changeable)."""
    upload = _staged_or_404(token)
    mapping, default_format = _choices(request.args, upload)
    return render("activities/import_columns.html", token=token, upload=upload, mapping=mapping,
                  default_format=default_format, targets=TARGETS, sample=upload.rows[:3], **VOCABULARY)


@bp.get("/import/<token>/preview", **OWN)
def import_preview(token: str):
    """Every row as it would be saved, with its errors; nothing is saved yet."""
    upload = _staged_or_404(token)
    mapping, default_format = _choices(request.args, upload)
    result = importing.review(current_user._get_current_object(), upload, mapping, default_format)
    return render("activities/import_preview.html", token=token, upload=upload, mapping=mapping,
                  default_format=default_format, review=result, form=ConfirmImportForm(),
                  mapping_args=_mapping_args(mapping), **VOCABULARY)


@bp.post("/import/<token>", **OWN)
def import_confirm(token: str):
    """Saves the rows without errors; reports the ones skipped."""
    upload = _staged_or_404(token)
    mapping, default_format = _choices(request.form, upload)
    try:
        result = importing.confirm(current_user._get_current_object(), token, mapping, default_format)
    except RedisError:
        return _unavailable()
    if result is None:
        abort(404)
    saved, skipped = len(result.ready), result.refused
    message = f"Imported {saved} {'activity' if saved == 1 else 'activities'}."
    if skipped:
        lines = ", ".join(str(row.line) for row in skipped[:20]) + ("…" if len(skipped) > 20 else "")
        message += (f" Skipped 1 row with errors (line {lines})." if len(skipped) == 1
                    else f" Skipped {len(skipped)} rows with errors (lines {lines}).")
    return done(url_for("activities.index"), message)


@bp.post("/import/<token>/discard", **OWN)
def import_discard(token: str):
    """Forgets the uploaded file at once instead of in an hour."""
    _staged_or_404(token)
    try:
        importing.discard(current_user.id, token)
    except RedisError:
        return _unavailable()
    return done(url_for("activities.import_start"), "The uploaded file is discarded.")
