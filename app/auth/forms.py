"""Sign-in, code and welcome forms."""
from __future__ import annotations

from zoneinfo import available_timezones

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Regexp

COMMON_ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Phoenix",
                "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu", "America/Puerto_Rico"]


def time_zone_choices() -> list[tuple[str, str]]:
    others = sorted(z for z in available_timezones() if "/" in z and z not in COMMON_ZONES
                    and not z.startswith(("Etc/", "SystemV/", "US/")))
    return [(z, z.replace("_", " ")) for z in COMMON_ZONES + others]


def strip(value):
    """Phone keyboards add a space after an autocompleted address; it is not part of the address."""
    return value.strip() if isinstance(value, str) else value


class SignInForm(FlaskForm):
    email = StringField("E-mail address", filters=[strip], validators=[
        DataRequired("Enter your e-mail address."), Length(max=254),
        Email("Enter an e-mail address like name@example.com.", check_deliverability=False)])
    next = HiddenField()


class CodeForm(FlaskForm):
    code = StringField("Six-digit code", validators=[
        DataRequired("Enter the code from the e-mail."),
        Regexp(r"^\s*\d{6}\s*$", message="The code is six digits.")])


class ConfirmForm(FlaskForm):
    """Only the CSRF field: the POST is what signs in, so link prefetchers consume nothing."""


class SignOutForm(FlaskForm):
    """Only the CSRF field."""


class WelcomeForm(FlaskForm):
    name = StringField("Your name", validators=[DataRequired("Enter your name."), Length(max=120)])
    time_zone = SelectField("Time zone", choices=[], default="America/New_York")
    adult = BooleanField("I am 18 or over", validators=[
        DataRequired("CE Tracker is for licensed professionals aged 18 or over.")])
    accept = BooleanField("I accept the terms and the privacy policy", validators=[
        DataRequired("Accept the terms and the privacy policy to create your account.")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone.choices = time_zone_choices()
