"""The upload form: one file input for files and photos, one that opens the camera on phones."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField


class UploadForm(FlaskForm):
    """Which of the two inputs was used, and whether the file is acceptable, is the service's call."""

    file = FileField("Certificate file (PDF, JPEG, PNG or HEIC)")
    photo = FileField("Or take a photo of the certificate")


class DeleteForm(FlaskForm):
    """Only the CSRF field: the confirmation page's button."""
