"""“Read it for me” from an uploaded certificate, without an API key: pypdf's text, read locally."""
from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from app.activities.models import Activity
from app.certificates.models import Certificate
from tests.certificates.samples import jpeg
from tests.reading.helpers import certificate_pdf, corpus, form_values, reading_id, upload_certificate

TEXT, EXPECTED = corpus(2)


@pytest.fixture(autouse=True)
def _empty_store(app):
    yield
    shutil.rmtree(Path(app.config["CERTIFICATE_ROOT"]), ignore_errors=True)


def test_uploaded_pdf_is_read_into_the_form_and_attached_when_saved(user_client, dbs, run_jobs):
    certificate_id = upload_certificate(user_client, certificate_pdf(TEXT), "ce-certificate.pdf")
    run_jobs()  # verification
    page = user_client.get(f"/certificates/{certificate_id}").get_data(as_text=True)
    assert f'action="/read/certificate/{certificate_id}"' in page and "Read it for me" in page

    response = user_client.post_form(f"/read/certificate/{certificate_id}")
    rid = reading_id(response)
    review = user_client.get(f"/read/{rid}").get_data(as_text=True)
    assert "ce-certificate.pdf" in review and "Nothing is sent anywhere." in review
    assert EXPECTED["title"].split()[0] in review  # the PDF's text, as it will be read
    assert user_client.post_form(f"/read/{rid}", form_values(review, "reading-send")).status_code == 303
    run_jobs()
    page = user_client.get(f"/activities/new?draft={rid}").get_data(as_text=True)
    assert "From <span class=\"file-name\">ce-certificate.pdf</span>" in page
    values = form_values(page, "activity-form")
    assert values["title"] == EXPECTED["title"]
    assert values["completed_on"] == EXPECTED["completed_on"]
    assert Decimal(values["amount"]) == Decimal(str(EXPECTED["hours"]))
    assert values["format"] == EXPECTED["format"]

    assert user_client.post_form("/activities/new", values).status_code == 303
    dbs.expire_all()
    activity = dbs.scalar(select(Activity))
    assert activity.completed_on == date.fromisoformat(EXPECTED["completed_on"])
    assert dbs.get(Certificate, certificate_id).activity_id == activity.id


def test_certificate_still_being_verified_is_not_read_yet(user_client):
    certificate_id = upload_certificate(user_client, certificate_pdf(TEXT))
    response = user_client.post_form(f"/read/certificate/{certificate_id}", follow_redirects=True)
    assert "can be read once it is verified" in response.get_data(as_text=True)


@pytest.mark.parametrize("damage", ["missing", "corrupt"])
def test_a_damaged_stored_file_is_refused_and_reported_not_a_500(user_client, dbs, run_jobs, damage):
    from app.audit import AuditEvent
    from app.certificates.storage import current_store
    certificate_id = upload_certificate(user_client, certificate_pdf(TEXT), "ce-certificate.pdf")
    run_jobs()
    with user_client.application.app_context():
        blob = current_store().path(dbs.get(Certificate, certificate_id).sha256)
    if damage == "missing":
        blob.unlink()
    else:
        blob.write_bytes(blob.read_bytes()[:-1] + b"X")
    response = user_client.post_form(f"/read/certificate/{certificate_id}", follow_redirects=True)
    assert response.status_code == 200 and "Please upload the certificate again" in response.get_data(as_text=True)
    dbs.expire_all()
    assert dbs.get(Certificate, certificate_id).status == damage
    assert dbs.scalar(select(AuditEvent).where(AuditEvent.action == "certificate_integrity_failed")) is not None


def test_photo_without_a_key_cannot_be_read_locally_and_says_so(user_client, run_jobs):
    certificate_id = upload_certificate(user_client, jpeg(), "photo.jpg")
    run_jobs()
    rid = reading_id(user_client.post_form(f"/read/certificate/{certificate_id}"))
    review = user_client.get(f"/read/{rid}").get_data(as_text=True)
    assert "The local parser reads only text" in review and "fill in the form yourself" in review
    assert "Read it</button>" not in review and "Send to Anthropic" not in review


def test_someone_elses_certificate_is_404(user_client, make_client, auth, run_jobs):
    certificate_id = upload_certificate(user_client, certificate_pdf(TEXT))
    run_jobs()
    other = make_client()
    auth.sign_up(other, "bob@example.com", "Bob")
    assert other.post_form(f"/read/certificate/{certificate_id}").status_code == 404


def test_reading_needs_the_csrf_field(user_client, run_jobs):
    certificate_id = upload_certificate(user_client, certificate_pdf(TEXT))
    run_jobs()
    assert user_client.post(f"/read/certificate/{certificate_id}", data={}).status_code == 400
