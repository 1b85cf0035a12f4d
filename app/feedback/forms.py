"""The feedback form."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional


class FeedbackForm(FlaskForm):
    message = TextAreaField("Your message", validators=[
        DataRequired("Write your message."), Length(max=4000, message="Keep it under 4,000 characters.")])
    reply_to = StringField("Your e-mail address, if you would like an answer", validators=[
        Optional(), Length(max=254),
        Email("Enter an e-mail address like name@example.com.", check_deliverability=False)])
    page = HiddenField()
