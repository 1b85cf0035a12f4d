"""The activity form (with its topic rows and license checkboxes) and the CSV upload form."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.widgets import CheckboxInput, ListWidget

from app.activities.models import Activity
from app.activities.rules import ActivityData, hours_problem, parse_amount, parse_date, problems, to_hours
from app.activities.vocabulary import FORMATS, TOPICS, UNITS
from app.templating import hours as hours_text

TOPIC_ROWS = 4
# Where a rule's complaint is shown: rules speak of "hours", the form of the amount typed.
ERROR_FIELDS = {"hours": "amount"}


def choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


class TopicRowForm(Form):
    """One row of the split by topic: a topic and its share, in the unit chosen for the total."""

    topic = SelectField("Topic", choices=choices({"": "No topic", **TOPICS}), validate_choice=False)
    amount = StringField("Amount")


class ActivityForm(FlaskForm):
    title = StringField("Title")
    provider = StringField("Provider")
    approval_body = StringField("Approved by")
    approval_number = StringField("Approval number")
    started_on = StringField("Started on")
    completed_on = StringField("Completed on")
    amount = StringField("Amount")
    unit = SelectField("Unit", choices=choices(UNITS), default="hours", validate_choice=False)
    format = SelectField("Format", choices=choices({"": "Choose…", **FORMATS}), validate_choice=False)
    topics = FieldList(FormField(TopicRowForm), min_entries=TOPIC_ROWS, max_entries=len(TOPICS))
    licenses = SelectMultipleField("Counts toward", coerce=int, validate_choice=False,
                                   widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    notes = TextAreaField("Notes")
    # The date the pre-ticked licenses were chosen for (new activities only): see service.follow_defaults.
    defaults_for = HiddenField()

    topics_error: str | None = None

    @classmethod
    def for_activity(cls, activity: Activity, **kwargs) -> ActivityForm:
        """The form filled with a saved activity (hours as the unit, one row per topic)."""
        rows = [{"topic": t.topic, "amount": hours_text(t.hours)} for t in activity.topics]
        data = {
            "title": activity.title, "provider": activity.provider, "approval_body": activity.approval_body,
            "approval_number": activity.approval_number,
            "started_on": activity.started_on.isoformat() if activity.started_on else "",
            "completed_on": activity.completed_on.isoformat(), "amount": hours_text(activity.hours),
            "unit": "hours", "format": activity.format, "topics": rows,
            "licenses": [lic.id for lic in activity.licenses], "notes": activity.notes,
        }
        return cls(data=data, **kwargs)

    def set_license_choices(self, licenses: list[tuple[int, str]]) -> None:
        self.licenses.choices = [SelectChoice(value, label) for value, label in licenses]

    def activity_data(self, today: date) -> ActivityData | None:
        """The activity the form describes, or None with every problem attached to its field."""
        if not self.validate():
            return None
        errors: dict[str, str] = {}
        unit = self.unit.data if self.unit.data in UNITS else "hours"
        started_on = self._parsed(parse_date, self.started_on, errors, "started_on")
        completed_on = self._parsed(parse_date, self.completed_on, errors, "completed_on")
        amount = self._parsed(parse_amount, self.amount, errors, "hours")
        hours = to_hours(amount, unit) if amount is not None else None
        if "hours" not in errors and hours_problem(hours, unit):
            errors["hours"] = hours_problem(hours, unit)
        topics = self._topic_hours(unit, errors)
        data = ActivityData(
            title=self.title.data or "", completed_on=completed_on, hours=hours,
            format=self.format.data or "", started_on=started_on, provider=self.provider.data,
            approval_body=self.approval_body.data, approval_number=self.approval_number.data,
            topics=topics, notes=self.notes.data, license_ids=list(self.licenses.data or []))
        for name, message in problems(data, today).items():
            errors.setdefault(name, message)
        if errors:
            self._attach(errors)
            return None
        return data

    @staticmethod
    def _parsed(parse, field, errors: dict, name: str):
        try:
            return parse(field.data)
        except ValueError as exc:
            errors[name] = str(exc)
            return None

    def _topic_hours(self, unit: str, errors: dict) -> dict[str, Decimal]:
        topics: dict[str, Decimal] = {}
        for row in self.topics:
            key, text = row.form.topic.data or "", (row.form.amount.data or "").strip()
            if not key and not text:
                continue
            if not key:
                errors.setdefault("topics", "Choose the topic for each amount you gave.")
                continue
            if key in topics:
                errors.setdefault("topics", "Give each topic once.")
                continue
            try:
                amount = parse_amount(text)
            except ValueError:
                amount = None
            if amount is None:
                errors.setdefault("topics", f"Give the {unit_word(unit)} for {TOPICS.get(key, key)}.")
                continue
            topics[key] = to_hours(amount, unit)
        return topics

    def _attach(self, errors: dict[str, str]) -> None:
        for name, message in errors.items():
            if name == "topics":
                self.topics_error = message
                continue
            field = getattr(self, ERROR_FIELDS.get(name, name), None)
            if field is not None:
                field.errors = list(field.errors) + [message]


def unit_word(unit: str) -> str:
    return "CEUs" if unit == "ceus" else "hours"


class UploadForm(FlaskForm):
    file = FileField("CSV file", validators=[FileRequired("Choose a CSV file to import.")])


class ConfirmImportForm(FlaskForm):
    """Only the CSRF field: the mapping travels in hidden inputs the template writes."""


class DeleteForm(FlaskForm):
    """The CSRF field, and what becomes of the activity's certificates (kept unless asked)."""

    certificates = RadioField("Its certificates", default="keep", choices=[
        ("keep", "Keep them in my account, no longer attached to an activity"),
        ("delete", "Delete them too")])
