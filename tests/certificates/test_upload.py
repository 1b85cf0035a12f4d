"""Uploading: the form, acceptance by content, refusals (422), the size limit (413), hostile names."""
from __future__ import annotations

import io
import re
import tracemalloc

import pytest

from tests.certificates import samples
from tests.certificates.conftest import (
    audit_actions,
    certificate_id,
    certificate_row,
    make_activity,
    staged,
    upload,
)


def test_upload_form_offers_files_and_the_camera(user_client):
    page = user_client.get("/certificates/new").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page
    assert re.search(r'<input[^>]*accept="application/pdf,image/\*"[^>]*name="file"', page)
    assert re.search(r'<input[^>]*accept="image/\*"[^>]*capture="environment"[^>]*name="photo"', page)
    assert "up to 20 MB" in page


@pytest.mark.parametrize("kind, data, name, media_type", [
    ("pdf", samples.pdf, "Ethics certificate.pdf", "application/pdf"),
    ("jpeg", samples.jpeg, "IMG_0412.JPG", "image/jpeg"),
    ("png", samples.png, "screenshot.png", "image/png"),
    ("heic", samples.heic, "IMG_0413.HEIC", "image/heic"),
])
def test_accepted_upload_is_kept_pending_and_queued(user_client, dbs, store, app, kind, data, name, media_type):
    content = data()
    response = upload(user_client, content, name, content_type="text/html")  # the browser's type is ignored
    assert response.status_code == 303
    row = certificate_row(dbs, certificate_id(response))
    assert (row.status, row.media_type, row.original_name) == ("pending", media_type, name)
    assert row.size_bytes == len(content)
    assert row.user_id == user_client.user.id and row.activity_id is None and row.sha256 is None
    assert store.pending_path(row.pending_name).read_bytes() == content
    assert staged(store) == [row.pending_name]  # the request's own temporary file is gone
    queued = app.extensions["redis"].lrange("rq:queue:default", 0, -1)
    assert f"certificate-store-{row.id}".encode() in queued
    assert "certificate_uploaded" in audit_actions(dbs, user_client.user.id)
    page = user_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Certificate received" in page and "Verifying" in page


def test_photo_input_works_like_the_file_input(user_client, dbs):
    response = upload(user_client, samples.jpeg(), "image.jpg", field="photo")
    assert response.status_code == 303
    assert certificate_row(dbs, certificate_id(response)).media_type == "image/jpeg"


def test_htmx_upload_redirects_with_hx_redirect(user_client):
    response = upload(user_client, samples.pdf(), htmx=True)
    assert response.status_code == 200 and response.headers["HX-Redirect"].startswith("/certificates/")


def test_no_file_or_two_files_is_422(user_client, store):
    response = user_client.post_form("/certificates/new", {})
    assert response.status_code == 422 and "Choose the certificate file" in response.get_data(as_text=True)
    response = user_client.post_form("/certificates/new", {
        "file": (io.BytesIO(samples.pdf()), "a.pdf"), "photo": (io.BytesIO(samples.jpeg()), "b.jpg")})
    assert response.status_code == 422 and "not both" in response.get_data(as_text=True)
    assert staged(store) == []


PDF_BYTES = samples.pdf()
JPEG_BYTES = samples.jpeg()
REFUSED = {
    "html renamed .pdf": (b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>",
                          "web-page code"),
    "empty": (b"", "empty"),
    "truncated pdf": (PDF_BYTES[: len(PDF_BYTES) // 2], "incomplete"),
    "pdf with broken objects": (PDF_BYTES[:40] + b"\x00" * 2000 + PDF_BYTES[2040:], "damaged"),
    "jpeg header then html": (JPEG_BYTES[:20] + b"<html><script>alert(1)</script></html>", "web-page code"),
    "jpeg with html after the image": (JPEG_BYTES + b"<script>alert(1)</script>", "web-page code"),
    "pdf with an html prefix": (b"<html><body onload=alert(1)>\n" + PDF_BYTES, "web-page code"),
    "svg": (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "web-page code"),
    "truncated jpeg": (JPEG_BYTES[: len(JPEG_BYTES) // 2], "damaged or incomplete"),
    "gif": (b"GIF89a" + b"\x01\x00\x01\x00" + b"\x00" * 40, "not a PDF, JPEG, PNG or HEIC"),
    "text": (b"just some words", "not a PDF, JPEG, PNG or HEIC"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_wrong_content_is_refused_with_a_clear_message(user_client, dbs, store, case):
    data, message = REFUSED[case]
    response = upload(user_client, data, "certificate.pdf", content_type="application/pdf")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert 'aria-invalid="true"' in page and 'id="file-error"' in page
    assert certificate_row(dbs, 1) is None
    assert staged(store) == [] and list(store.blobs()) == []


def test_refusal_of_a_photo_is_shown_on_the_photo_input(user_client):
    response = upload(user_client, b"not an image", "photo.jpg", field="photo")
    assert response.status_code == 422
    assert 'id="photo-error"' in response.get_data(as_text=True)


def test_refusal_to_htmx_is_the_form_fragment(user_client):
    response = user_client.post_form("/certificates/new", {"file": (io.BytesIO(b"nope"), "x.pdf")},
                                      htmx=True, target="upload-form")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and page.lstrip().startswith("<form") and "<html" not in page


def test_over_the_limit_is_413_and_leaves_nothing(app, user_client, dbs, store):
    limit = app.config["MAX_UPLOAD_MB"] * 1024 * 1024
    response = upload(user_client, samples.large_pdf(limit + 100_000), "big.pdf")
    assert response.status_code == 413
    assert "up to 20 MB" in response.get_data(as_text=True)
    assert staged(store) == [] and certificate_row(dbs, 1) is None


def test_body_over_max_content_length_is_413_and_leaves_nothing(app, user_client, store):
    too_big = app.config["MAX_CONTENT_LENGTH"] + 1
    response = user_client.post_form("/certificates/new", {"file": (io.BytesIO(b"%PDF-" + b"0" * too_big), "x.pdf")})
    assert response.status_code == 413
    assert staged(store) == []


def test_upload_streams_to_disk_with_flat_memory(user_client, dbs, tmp_path):
    """A 20 MB upload passes through Python in chunks: no copy of the whole file is ever held."""
    path = tmp_path / "big.pdf"
    path.write_bytes(samples.large_pdf(20 * 1024 * 1024 - 50_000))
    token = user_client.csrf_token()
    tracemalloc.start()
    try:
        with open(path, "rb") as stream:
            response = user_client.post("/certificates/new", data={"csrf_token": token, "file": (stream, "big.pdf")})
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 303
    assert certificate_row(dbs, certificate_id(response)).size_bytes == path.stat().st_size
    assert peak < 8 * 1024 * 1024, f"peak Python memory {peak / 1e6:.1f} MB during a 20 MB upload"


HOSTILE_NAMES = {
    "../../../etc/passwd.pdf": "passwd.pdf",
    "..\\..\\windows\\win.ini.pdf": "windowswin.ini.pdf",  # the quoted-string eats the backslashes
    "evil\x00.pdf": "evil.pdf",
    'a"; filename="x.html.pdf': 'x.html.pdf',
    "cert\u202efdp.exe": "certfdp.exe",
    "x" * 300 + ".pdf": "x" * 116 + ".pdf",
    "<img src=x onerror=alert(1)>.pdf": "<img src=x onerror=alert(1)>.pdf",
}


@pytest.mark.parametrize("raw", list(HOSTILE_NAMES))
def test_hostile_file_names_are_stored_clean_and_shown_escaped(user_client, dbs, store, raw):
    response = upload(user_client, samples.pdf(), raw)
    assert response.status_code == 303
    row = certificate_row(dbs, certificate_id(response))
    assert row.original_name == HOSTILE_NAMES[raw]
    assert row.pending_name.startswith("pending-") and "/" not in row.pending_name
    page = user_client.get(f"/certificates/{row.id}").get_data(as_text=True)
    assert "<img src=x" not in page and "\u202e" not in page and "\x00" not in page
    if "<img" in raw:
        assert "&lt;img src=x onerror=alert(1)&gt;.pdf" in page
    listing = user_client.get("/certificates").get_data(as_text=True)
    assert "<img src=x" not in listing


def test_crlf_and_nul_in_an_rfc_2231_file_name_are_stored_clean(user_client, dbs):
    """`filename*=UTF-8''...` is percent-decoded by the parser: real CR, LF and NUL reach us."""
    boundary = "XyZ"
    token = user_client.csrf_token()
    hostile = "evil%0D%0ASet-Cookie%3A%20x%3D1%00%22.pdf"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename*=UTF-8''{hostile}\r\n"
            "Content-Type: application/pdf\r\n\r\n").encode() + samples.pdf() + f"\r\n--{boundary}--\r\n".encode()
    response = user_client.post("/certificates/new", data=body,
                                content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 303
    name = certificate_row(dbs, certificate_id(response)).original_name
    assert name == 'evil Set-Cookie: x=1".pdf'


def test_upload_for_an_activity(user_client, dbs):
    activity_id = make_activity(dbs, user_client.user.id, "Trauma-informed care")
    activity_page = user_client.get(f"/activities/{activity_id}").get_data(as_text=True)
    assert f'href="/activities/{activity_id}/certificate"' in activity_page
    page = user_client.get(f"/activities/{activity_id}/certificate").get_data(as_text=True)
    assert "Certificate for “Trauma-informed care”" in page
    response = upload(user_client, samples.pdf(), url=f"/activities/{activity_id}/certificate")
    assert response.status_code == 303
    row = certificate_row(dbs, certificate_id(response))
    assert row.activity_id == activity_id
    page = user_client.get(f"/activities/{activity_id}/certificate").get_data(as_text=True)
    assert "Already attached" in page and "certificate.pdf" in page
    assert "Trauma-informed care" in user_client.get("/certificates").get_data(as_text=True)


def test_upload_for_someone_elses_activity_is_404(user_client, auth, dbs, make_client):
    other = make_client()
    bob = auth.sign_up(other, "bob@example.com", "Bob")
    activity_id = make_activity(dbs, bob.id)
    assert user_client.get(f"/activities/{activity_id}/certificate").status_code == 404
    response = upload(user_client, samples.pdf(), url=f"/activities/{activity_id}/certificate")
    assert response.status_code == 404
    assert certificate_row(dbs, 1) is None
    assert user_client.get("/activities/999999/certificate").status_code == 404
