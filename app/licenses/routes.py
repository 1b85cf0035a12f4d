"""License pages: list, add, view, edit, delete, record a renewal, and past cycles."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, request, url_for
from flask_login import current_user, login_required

from app import ownership
from app.licenses import presenting, progress_cache  # noqa: F401  (progress_cache: the activities receiver)
from app.licenses.cards import card_of, dashboard_cards
from app.licenses.choosing import (
    Choice,
    catalog_groups,
    form_data,
    initial_choice,
    overlay_typed,
    resolve_choice,
    topic_rows_from,
)
from app.licenses.cycles import suggest_deadline
from app.licenses.editing import (
    adjusted_rule_set,
    applicable_keys,
    custom_rules,
    done_before_keys,
    resolve_cycle_dates,
)
from app.licenses.forms import ConfirmForm, LicenseForm, RenewalForm
from app.licenses.models import License
from app.licenses.service import (
    LicenseValues,
    count_license_activities,
    delete_license,
    in_cycle,
    license_activities,
    owned_cycle,
    owned_license,
    progress_of,
    recent_in_cycle,
    record_renewal,
    renewal_plan,
    save_license,
)
from app.licenses.standing import current_cycle, rule_set_of
from app.rendering import done, render
from app.templating import long_date
from app.timezones import user_today

bp = Blueprint("licenses", __name__, url_prefix="/licenses")
ownership.register("license_id", lambda user_id, license_id: owned_license(user_id, license_id) is not None)


@bp.record_once
def _register(state) -> None:
    """The template filters license pages and the dashboard use."""
    presenting.register(state.app)

FORM_BLOCKS = ("license_form", "deadline_hint")
UNKNOWN_CHOICE = "Choose a license type from the list, or “Not listed”."


def _license_or_404(license_id: int) -> License:
    license = owned_license(current_user.id, license_id)
    if license is None:
        abort(404)
    return license


@bp.get("")
@login_required
def index():
    """Every license of the user with its deadline and status."""
    return render("licenses/index.html", cards=dashboard_cards(current_user))


@bp.get("/new")
@login_required
def new():
    """Add a license: pick its rule set, then fill in the license and the current cycle."""
    return _form_for_get(None)


@bp.post("/new")
@login_required
def create():
    """Saves a new license; 422 with the messages when something is off, nothing saved."""
    return _save(None)


@bp.get("/<int:license_id>")
@login_required
def show(license_id: int):
    """The license, where its current cycle stands, its past cycles and its rule set with sources."""
    license = _license_or_404(license_id)
    row = current_cycle(license)
    found = card_of(current_user, license.id) if row else None  # cached with the dashboard's
    past = sorted((c for c in license.cycles if c is not row), key=lambda c: c.cycle_start, reverse=True)
    return render("licenses/show.html", license=license, cycle=row, progress=found.progress if found else None,
                  next_step=found.next_step if found else "", past_cycles=past,
                  rule_set=found.rule_set if found else rule_set_of(license),
                  counted=found.activities_in_cycle if found else 0,
                  recent=recent_in_cycle(license, row) if row else [])


@bp.get("/<int:license_id>/edit")
@login_required
def edit(license_id: int):
    """The license form, filled in; picking another rule set shows its figures."""
    return _form_for_get(_license_or_404(license_id))


@bp.post("/<int:license_id>/edit")
@login_required
def update(license_id: int):
    """Saves the changes to the license and its current cycle."""
    return _save(_license_or_404(license_id))


@bp.get("/<int:license_id>/delete")
@login_required
def delete_confirm(license_id: int):
    """Asks before deleting: what goes (the license and its cycles) and what stays (activities)."""
    license = _license_or_404(license_id)
    return render("licenses/delete.html", license=license, form=ConfirmForm(),
                  activity_count=count_license_activities(license))


@bp.post("/<int:license_id>/delete")
@login_required
def delete(license_id: int):
    """Deletes the license and its cycles."""
    license = _license_or_404(license_id)
    delete_license(current_user.id, license)
    return done(url_for("licenses.index"), "License deleted. Your activities are still in your log.")


@bp.get("/<int:license_id>/renew")
@login_required
def renew_confirm(license_id: int):
    """What recording the renewal does: the next cycle's dates, carried hours, requirements met."""
    license = _license_or_404(license_id)
    row = _open_cycle_or_404(license)
    today = user_today(current_user)
    plan = renewal_plan(license, row, license_activities(license), today)
    form = RenewalForm(data={"cycle_id": str(row.id), "renewed_on": today, "next_deadline": plan.next_deadline})
    return render("licenses/renew.html", license=license, cycle=row, plan=plan, form=form)


@bp.post("/<int:license_id>/renew")
@login_required
def renew(license_id: int):
    """Closes the current cycle and opens the next one."""
    license = _license_or_404(license_id)
    row = _open_cycle_or_404(license)
    form = RenewalForm()
    if form.cycle_id.data != str(row.id):
        return done(url_for("licenses.show", license_id=license.id), "That renewal was already recorded.", "info")
    today = user_today(current_user)
    plan = renewal_plan(license, row, license_activities(license), today)
    if not (form.validate() and _renewal_dates_ok(form, row, plan, today)):
        return render("licenses/renew.html", license=license, cycle=row, plan=plan, form=form, status=422)
    following = record_renewal(current_user.id, license, row, plan, renewed_on=form.renewed_on.data,
                               next_deadline=form.next_deadline.data)
    return done(url_for("licenses.show", license_id=license.id),
                f"Renewal recorded. Your next cycle runs from {long_date(following.cycle_start)} "
                f"to {long_date(following.renewal_deadline)}.")


@bp.get("/<int:license_id>/cycles/<int:cycle_id>")
@login_required
def cycle(license_id: int, cycle_id: int):
    """One cycle, current or past: where it stood and the activities dated inside it."""
    license = _license_or_404(license_id)
    row = owned_cycle(license, cycle_id)
    if row is None:
        abort(404)
    activities = in_cycle(license_activities(license), row)
    progress = progress_of(license, row, activities, user_today(current_user))
    return render("licenses/cycle.html", license=license, cycle=row, progress=progress, activities=activities,
                  rule_set=rule_set_of(license))


def _open_cycle_or_404(license: License):
    row = current_cycle(license)
    if row is None or not row.is_open:
        abort(404)
    return row


def _renewal_dates_ok(form: RenewalForm, row, plan, today: date) -> bool:
    ok = True
    if form.renewed_on.data > today:
        form.renewed_on.errors.append("The renewal date cannot be in the future.")
        ok = False
    elif form.renewed_on.data < row.cycle_start:
        form.renewed_on.errors.append("The renewal date cannot be before this cycle started.")
        ok = False
    if form.next_deadline.data <= plan.next_start:
        form.next_deadline.errors.append(
            f"The next deadline must be after the next cycle starts ({long_date(plan.next_start)}).")
        ok = False
    return ok


def _form_for_get(license: License | None):
    requested = request.args.get("rule_set")
    value = requested if requested is not None else initial_choice(license)
    choice = resolve_choice(value, license)
    if choice is None:
        error = UNKNOWN_CHOICE if value else None
        return _form_page(None, None, license, choice_error=error)
    data = form_data(choice, license, user_today(current_user))
    if any(name in request.args for name in ("profession", "licensed_on", "cycle_start")):
        overlay_typed(data, request.args, resolve_choice(request.args.get("defaults_from"), license))
    return _form_page(LicenseForm(data=data), choice, license)


def _save(license: License | None):
    form = LicenseForm()
    choice = resolve_choice(form.rule_set.data, license)
    if choice is None:
        return _form_page(None, None, license, choice_error=UNKNOWN_CHOICE, status=422)
    values = _checked_values(form, choice, license)
    if values is None:
        return _form_page(form, choice, license, status=422)
    saved = save_license(current_user.id, values, license)
    message = "License saved." if license is not None else "License added."
    if license is None:
        adopted = count_license_activities(saved)  # activities logged before any license, now counted
        if adopted:
            what = "1 activity you logged in this cycle now counts" if adopted == 1 else \
                f"{adopted} activities you logged in this cycle now count"
            message += f" {what} toward it."
    return done(url_for("licenses.show", license_id=saved.id), message)


def _checked_values(form: LicenseForm, choice: Choice, license: License | None) -> LicenseValues | None:
    """The license's values, or None with the messages put on the form's fields."""
    valid = form.validate()
    if choice.custom:
        valid = form.check_custom_rows() and valid
    if not valid:
        return None
    given = form.rule_input(choice.custom)
    try:
        if choice.custom:
            rules = custom_rules(title=form.profession.data.strip(), license_type=(form.credential.data or "").strip(),
                                 profession=form.field_of_practice.data, issuing_body=form.issuing_body.data,
                                 given=given)
        else:
            rules = adjusted_rule_set(choice.base, given)
    except ValueError as error:
        form.total_hours.errors.append(f"These figures do not fit together: {error}")
        return None
    dates = resolve_cycle_dates(rules, cycle_start=form.cycle_start.data, renewal_deadline=form.renewal_deadline.data,
                                licensed_on=form.licensed_on.data, today=user_today(current_user))
    for name, message in dates.errors.items():
        getattr(form, name).errors.append(message)
    if dates.errors:
        return None
    return LicenseValues(
        profession=form.profession.data.strip(), credential=(form.credential.data or "").strip() or None,
        issuing_body=form.issuing_body.data.strip(), license_number=(form.license_number.data or "").strip() or None,
        licensed_on=form.licensed_on.data, rule_set_slug=None if choice.custom else choice.value, rules=rules,
        applicable_conditions=applicable_keys(rules, given.topics), cycle_start=dates.cycle_start,
        renewal_deadline=dates.renewal_deadline, is_first_renewal=form.first_renewal.data == "yes",
        done_before=tuple(done_before_keys(rules, given.topics)))


def _form_page(form: LicenseForm | None, choice: Choice | None, license: License | None, *,
               choice_error: str | None = None, status: int = 200):
    today = user_today(current_user)
    rules = (choice.current or choice.base) if choice else None
    suggestion = None
    if form is not None and rules is not None:
        suggestion = suggest_deadline(rules, on_or_after=form.cycle_start.data or today,
                                      licensed_on=form.licensed_on.data)
    if license is None:
        page_url, action = url_for("licenses.new"), url_for("licenses.create")
    else:
        page_url = url_for("licenses.edit", license_id=license.id)
        action = url_for("licenses.update", license_id=license.id)
    return render("licenses/form.html", fragments=FORM_BLOCKS, status=status, form=form, choice=choice,
                  license=license, page_url=page_url, action=action, groups=catalog_groups(),
                  requirements=topic_rows_from(rules), suggestion=suggestion, choice_error=choice_error, today=today)
