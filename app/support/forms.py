"""Support console forms."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange


class ButtonForm(FlaskForm):
    """A POST with nothing but its CSRF token (retry, delete, run, mark handled)."""


class FindAccountForm(FlaskForm):
    """A GET search form: no CSRF token in the URL."""

    class Meta:
        csrf = False

    email = StringField("E-mail address", validators=[DataRequired("Enter the address."), Length(max=254)])


class ShortenForm(FlaskForm):
    days = IntegerField("Purge this many days after the deletion", validators=[
        InputRequired("Enter a number of days (0: at the next purge run)."),
        NumberRange(min=0, message="Enter 0 or more days.")])
    reason = TextAreaField("The user's written request", validators=[
        DataRequired("Say where the request is (e.g. the ticket number and date)."),
        Length(max=500, message="Keep it under 500 characters.")])
