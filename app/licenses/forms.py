"""License, requirements and renewal forms: parsing and field messages only (rules live in editing.py)."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from app.licenses.editing import RuleInput, TopicInput
from app.licenses.rules import PROFESSIONS
from app.licenses.topics import TOPICS

MAX_HOURS = Decimal("9999")
DATE_MESSAGE = "Enter a date as YYYY-MM-DD."


class HoursField(DecimalField):
    """Hours as people type them: 0 or more, at most two decimals, never NaN or 1e9."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, places=None,
                         invalid_value_message="Enter hours as a number, like 1.5.", **kwargs)

    def process_formdata(self, valuelist):
        super().process_formdata([value.strip() for value in valuelist] if valuelist else valuelist)

    def pre_validate(self, form):
        value = self.data
        if value is None:
            return
        try:
            finite = value.is_finite()
            too_precise = finite and value != value.quantize(Decimal("0.01"))
        except InvalidOperation:
            finite, too_precise = False, True
        if not finite or too_precise:
            raise ValidationError("Enter hours as a number with at most two decimals, like 1.5.")
        if value < 0:
            raise ValidationError("Hours cannot be negative.")
        if value > MAX_HOURS:
            raise ValidationError("That is more hours than any license requires.")


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _date(label: str, *validators) -> DateField:
    return DateField(label, [*validators] or [Optional()], invalid_value_message=DATE_MESSAGE)


class TopicRowForm(Form):
    """One requirement row: a catalog requirement (hidden key) or a custom topic (select)."""

    key = HiddenField()
    topic = SelectField("Topic", default="",
                        choices=_choices([("", "Choose a topic")] + sorted(TOPICS.items(), key=lambda i: i[1])))
    hours = HoursField("Hours", [Optional()])
    applies = BooleanField("This applies to me")
    done_before = BooleanField("Already completed")  # once-in-a-career requirements only


class LicenseForm(FlaskForm):
    rule_set = HiddenField()
    defaults_from = HiddenField()  # the rule set whose title filled the fields below
    profession = StringField("Profession or license type", [
        DataRequired("Enter the profession or license type."), Length(max=120)])
    credential = StringField("Credential letters", [Optional(), Length(max=32)])
    issuing_body = StringField("Issuing state or board", [
        DataRequired("Enter the state or board that issued the license."), Length(max=120)])
    license_number = StringField("License number", [Optional(), Length(max=64)])
    licensed_on = _date("Date first licensed")
    cycle_start = _date("This renewal cycle started on")
    renewal_deadline = _date("Renewal deadline")
    first_renewal = RadioField("Is this your first renewal since you were licensed?",
                               choices=_choices([("no", "No"), ("yes", "Yes")]), default="no")
    field_of_practice = SelectField("Field", choices=_choices(PROFESSIONS.items()), default="other")
    total_hours = HoursField("Total hours per cycle", [InputRequired("Enter the total hours per cycle (0 if none).")])
    cycle_years = IntegerField("Years per cycle", [Optional(), NumberRange(1, 10, "Enter 1 to 10 years.")])
    carry_over = HoursField("Most hours that may carry over to the next cycle", [Optional()])
    self_study_cap = HoursField("Most self-study hours that count", [Optional()])
    live_minimum = HoursField("Fewest live hours (in person or live online)", [Optional()])
    topics = FieldList(FormField(TopicRowForm), max_entries=40)

    def validate_topics(self, field):
        chosen = [row.form.topic.data for row in field if row.form.topic.data]
        if len(chosen) != len(set(chosen)):
            raise ValidationError("Each topic once: put its hours in one row.")

    def rule_input(self, custom: bool) -> RuleInput:
        rows = []
        for row in self.topics:
            values = row.form
            rows.append(TopicInput(key=(values.key.data or "").strip(),
                                   topic=(values.topic.data or "") if custom else "",
                                   hours=values.hours.data, applies=bool(values.applies.data),
                                   done_before=bool(values.done_before.data)))
        return RuleInput(total_hours=self.total_hours.data, cycle_years=self.cycle_years.data,
                         carry_over=self.carry_over.data, topics=tuple(rows),
                         self_study_cap=self.self_study_cap.data if custom else None,
                         live_minimum=self.live_minimum.data if custom else None)

    def check_custom_rows(self) -> bool:
        """Custom rows need a topic when they have hours; adds the message to the row."""
        ok = True
        for row in self.topics:
            if row.form.hours.data is not None and not row.form.topic.data:
                row.form.topic.errors = [*row.form.topic.errors, "Choose the topic these hours are for."]
                ok = False
        return ok


class RenewalForm(FlaskForm):
    cycle_id = HiddenField()  # the cycle being closed: a second click renews nothing twice
    renewed_on = _date("Renewed on", InputRequired(DATE_MESSAGE))
    next_deadline = _date("Next renewal deadline", InputRequired("Enter the next renewal deadline."))


class ConfirmForm(FlaskForm):
    """Only the CSRF field."""
