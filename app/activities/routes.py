"""Activity pages: the searchable list, log, show, edit and delete, each also as a table-row fragment.

A row fragment is asked for with `?inline=row` by htmx controls inside the list; the same URL
without htmx (or without the parameter) is a whole page, so everything works with JavaScript off.
"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, request, url_for
from flask_login import current_user, login_required

from app.activities.forms import ActivityForm, DeleteForm
from app.activities.list_page import list_page
from app.activities.listing import DIRECTIONS, SORTS, ActivityFilters
from app.activities.rules import parse_date
from app.activities.service import (
    certificate_count,
    create_activity,
    defaults_among,
    delete_activity,
    follow_defaults,
    license_name,
    owned_activity_or_404,
    update_activity,
    user_licenses,
)
from app.activities.vocabulary import FORMATS, TOPICS, UNITS
from app.reading.prefill import draft_for_form
from app.reading.service import saved_as
from app.rendering import done, render, wants_fragment
from app.timezones import user_today

bp = Blueprint("activities", __name__, url_prefix="/activities")
# Routes with an id in the path: OPTIONS goes to other_methods, which checks the owner first.
OWN = {"provide_automatic_options": False}
VOCABULARY = {"topics": TOPICS, "formats": FORMATS, "units": UNITS, "sorts": SORTS, "directions": DIRECTIONS}


@bp.before_request
@login_required
def _signed_in_only():
    """Every activity URL is for a signed-in user."""


def _user():
    return current_user._get_current_object()


def _inline() -> bool:
    """True for an htmx control in a list row that wants a row back, not a page."""
    return request.args.get("inline") == "row" and wants_fragment()


def _lenient_date(text: str | None) -> date | None:
    try:
        return parse_date(text)
    except ValueError:
        return None


def _form_context(form: ActivityForm, licenses, **extra) -> dict:
    form.set_license_choices([(lic.id, license_name(lic)) for lic in licenses])
    return {"form": form, "licenses": licenses, "today": user_today(_user()), **VOCABULARY, **extra}


@bp.get("")
def index():
    """The user's activities: search, filters, sorting and pages in one GET form."""
    filters = ActivityFilters.from_args(request.args)
    shown = list_page(current_user.id, filters, user_today(_user()))
    return render("activities/index.html", fragments=("activity_results",), filters=filters, page=shown.page,
                  anything=shown.anything, licenses=shown.licenses, years=shown.years,
                  license_name=license_name, **VOCABULARY)


@bp.get("/new")
def new():
    """The log-an-activity form, with the licenses whose open cycle holds the date ticked."""
    licenses = user_licenses(current_user.id)
    draft = draft_for_form(_user(), request.args.get("draft"))  # "read it for me" pre-fills the form
    if draft is not None:
        read_on = draft.data.get("completed_on", "")
        form = ActivityForm(data={**draft.data, "defaults_for": read_on,
                                  "licenses": defaults_among(licenses, _lenient_date(read_on))})
    elif request.args:  # the licenses block, refreshed after the completion date changed
        form = ActivityForm(formdata=request.args)
        _follow_date(form)
    else:
        today = user_today(_user())
        form = ActivityForm(data={"completed_on": today.isoformat(), "defaults_for": today.isoformat(),
                                  "licenses": defaults_among(licenses, today)})
    return render("activities/form.html", fragments=("activity_licenses",),
                  **_form_context(form, licenses, activity=None, draft=draft))


def _follow_date(form: ActivityForm) -> None:
    """Untouched default licenses follow a changed completion date (see service.follow_defaults)."""
    completed_on = _lenient_date(form.completed_on.data)
    defaults_for = _lenient_date(form.defaults_for.data)
    if completed_on is None or defaults_for is None:
        return
    form.licenses.data = follow_defaults(current_user.id, list(form.licenses.data or []), defaults_for,
                                         completed_on)
    form.defaults_for.data = completed_on.isoformat()


@bp.post("/new")
def create():
    """Saves a new activity; 422 with the form and its messages when something is wrong."""
    licenses = user_licenses(current_user.id)
    form = ActivityForm()
    _follow_date(form)
    draft = draft_for_form(_user(), request.form.get("draft"))
    context = _form_context(form, licenses, activity=None, draft=draft)
    data = form.activity_data(context["today"])
    if data is None:
        return render("activities/form.html", fragments=("activity_form",), status=422, **context)
    activity = create_activity(_user(), data)
    if draft is not None:
        saved_as(_user(), draft.reading_id, activity)
    return done(url_for("activities.show", activity_id=activity.id),
                f"Logged “{activity.title}”.")


@bp.get("/<int:activity_id>", **OWN)
def show(activity_id: int):
    """One activity with everything about it."""
    activity = owned_activity_or_404(current_user.id, activity_id)
    if _inline():
        return render("activities/index.html", block="activity_row", activity=activity,
                      license_name=license_name, **VOCABULARY)
    from app.certificates.service import activity_certificates  # certificates import activities
    return render("activities/show.html", activity=activity, license_name=license_name,
                  certificates=activity_certificates(current_user.id, activity.id), **VOCABULARY)


def _edit_form(activity, inline: bool, **kwargs) -> ActivityForm:
    return ActivityForm(prefix=f"activity-{activity.id}" if inline else "", **kwargs)


@bp.get("/<int:activity_id>/edit", **OWN)
def edit(activity_id: int):
    """The edit form: a page, or the row of the list turned into the form."""
    activity = owned_activity_or_404(current_user.id, activity_id)
    inline = _inline()
    form = ActivityForm.for_activity(activity, prefix=f"activity-{activity.id}" if inline else "")
    context = _form_context(form, user_licenses(current_user.id), activity=activity, inline=inline)
    return render("activities/form.html", block="edit_row" if inline else None, **context)


@bp.post("/<int:activity_id>/edit", **OWN)
def update(activity_id: int):
    """Saves the changes; the row comes back for the list, the page for a plain form."""
    activity = owned_activity_or_404(current_user.id, activity_id)
    inline = _inline()
    form = _edit_form(activity, inline)
    context = _form_context(form, user_licenses(current_user.id), activity=activity, inline=inline)
    data = form.activity_data(context["today"])
    if data is None:
        return render("activities/form.html", fragments=("activity_form",), status=422,
                      block="edit_row" if inline else None, **context)
    update_activity(_user(), activity, data)
    if inline:
        return render("activities/index.html", block="activity_row", activity=activity,
                      license_name=license_name, trigger=f"Saved “{activity.title}”.", **VOCABULARY)
    return done(url_for("activities.show", activity_id=activity.id), "Saved.")


@bp.get("/<int:activity_id>/delete", **OWN)
def confirm_delete(activity_id: int):
    """Asks before deleting (and, when it has certificates, whether they go too): a page, or a row."""
    activity = owned_activity_or_404(current_user.id, activity_id)
    return render("activities/confirm_delete.html", block="confirm_row" if _inline() else None,
                  activity=activity, form=DeleteForm(), certificates=certificate_count(current_user.id, activity.id),
                  **VOCABULARY)


@bp.post("/<int:activity_id>/delete", **OWN)
def delete(activity_id: int):
    """Deletes the activity; its certificates are kept and released, or deleted when the user chose so."""
    activity = owned_activity_or_404(current_user.id, activity_id)
    title = activity.title
    form = DeleteForm()
    deleting = form.certificates.data == "delete"
    count = delete_activity(_user(), activity, delete_certificates=deleting)
    message = f"Deleted “{title}”."
    if count:
        one = count == 1
        what = "Its certificate" if one else f"Its {count} certificates"
        if deleting:
            message += f" {what} {'was' if one else 'were'} deleted too."
        else:
            message += f" {what} {'stays' if one else 'stay'} in your account."
    if _inline():
        return render("activities/confirm_delete.html", block="row_deleted", trigger=message)
    return done(url_for("activities.index"), message)


from app.activities import other_methods, transfer_routes  # noqa: E402,F401  (more routes on this blueprint)
