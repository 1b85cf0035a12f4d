"""Forms of the renewal outputs: a share link's expiry and note; one-button forms carry only CSRF."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from app.outputs.sharing import EXPIRY_CHOICES


class ShareForm(FlaskForm):
    days = SelectField("Link works for", choices=[(str(days), label) for days, label in EXPIRY_CHOICES],
                       default="30")
    note = StringField("Who it is for (only you see this)", validators=[Optional(), Length(max=120)])


class ButtonForm(FlaskForm):
    """Only the CSRF field: start a packet, make or revoke a feed, revoke a link."""
