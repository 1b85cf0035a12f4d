"""Account forms: settings, new address, deletion (confirmed by typing the address)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, ValidationError

from app.auth.forms import time_zone_choices
from app.auth.tokens import normalize_email


class ProfileForm(FlaskForm):
    name = StringField("Your name", validators=[DataRequired("Enter your name."), Length(max=120)])
    time_zone = SelectField("Time zone", choices=[])
    reminders_enabled = BooleanField("E-mail me reminders before my renewal deadlines")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone.choices = time_zone_choices()


class EmailChangeForm(FlaskForm):
    new_email = StringField("New e-mail address", validators=[
        DataRequired("Enter the new address."), Length(max=254),
        Email("Enter an e-mail address like name@example.com.", check_deliverability=False)])

    def __init__(self, *args, current_email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.current_email = current_email

    def validate_new_email(self, field):
        if normalize_email(field.data or "") == self.current_email:
            raise ValidationError("That is already your address.")


class DeleteForm(FlaskForm):
    confirm_email = StringField("Type your e-mail address to confirm", validators=[
        DataRequired("Type your e-mail address to confirm.")])

    def __init__(self, *args, email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def validate_confirm_email(self, field):
        if normalize_email(field.data or "") != self.email:
            raise ValidationError("That is not your account's address. Nothing was deleted.")


class ButtonForm(FlaskForm):
    """Only the CSRF field: for one-button forms (start an export, confirm a new address)."""
