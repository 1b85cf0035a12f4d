"""The paste box, the send confirmation, and the one-button form that reads a certificate."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.reading.service import MAX_TEXT


class PasteForm(FlaskForm):
    text = TextAreaField("Certificate text", validators=[
        DataRequired("Paste the certificate's text first."),
        Length(max=MAX_TEXT, message=f"That is more than a certificate: paste at most {MAX_TEXT:,} characters.")])


class SendForm(FlaskForm):
    """The text as it will be read (the user may cut client information out of it) and the confirmation."""

    text = TextAreaField("What will be read", validators=[Length(max=MAX_TEXT)])
    confirm = BooleanField("I have checked: this is not client information, send it as it is")


class ReadCertificateForm(FlaskForm):
    """Only the CSRF field: the "Read it for me" button."""
