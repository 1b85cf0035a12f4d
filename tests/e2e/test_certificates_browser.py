"""Certificates in Chromium: a PDF and a phone photo, "verifying" to "verified", download, a flipped byte.

The served app's worker hashes each upload. To see the "verifying" state for certain, the test
holds the blob's lock (the job waits for it after hashing) and lets go once the page is shown.
"""
from __future__ import annotations

import hashlib
import re
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.certificates.locks import blob_lock
from tests.certificates import samples
from tests.e2e.conftest import no_horizontal_scroll, screenshot, serious_axe_violations

CERTIFICATE_PAGE = re.compile(r".*/certificates/\d+$")


@contextmanager
def job_held_back(app, content: bytes):
    """While inside, the hashing job of these bytes waits (up to a minute) before storing them."""
    with app.app_context(), blob_lock(hashlib.sha256(content).hexdigest(), wait=5):
        yield


def _upload(page, field: str, name: str, mime: str, content: bytes) -> None:
    page.goto("/certificates/new")
    page.set_input_files(f"#{field}", files=[{"name": name, "mimeType": mime, "buffer": content}])
    page.click("#upload-form button[type=submit]")
    page.wait_for_url(CERTIFICATE_PAGE)


def _download(page) -> bytes:
    with page.expect_download() as info:
        page.click("#certificate-status a:has-text('Download')")
    return Path(info.value.path()).read_bytes()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_pdf_upload_is_verified_and_downloads_the_same_bytes(app, new_page, browser_auth, javascript):
    mode = "js" if javascript else "nojs"
    page = new_page(javascript=javascript)
    browser_auth.sign_up(page, f"pdf-{mode}@example.com", "Dana Doe")
    content = samples.pdf(f"Certificate of completion, {mode}")
    with job_held_back(app, content):
        _upload(page, "file", "Ethics – 3 hours.pdf", "application/pdf", content)
        status = page.locator("#certificate-status")
        assert "Verifying" in status.inner_text()
        assert "Certificate received" in page.content()
        screenshot(page, f"certificate-verifying-{mode}")
    if javascript:  # the fragment polls every 2 s and turns into "verified" by itself
        page.wait_for_selector("#certificate-status .cert-verified", timeout=20_000)
    else:  # no JavaScript: the "check again" link
        for _ in range(20):
            page.click("#certificate-status a:has-text('Check again')")
            if page.locator("#certificate-status .cert-verified").count():
                break
            page.wait_for_timeout(500)
    assert "Verified." in page.locator("#certificate-status").inner_text()
    assert "Check again" not in page.content()
    screenshot(page, f"certificate-verified-{mode}")
    assert _download(page) == content
    page.goto("/certificates")
    assert "Ethics – 3 hours.pdf" in page.content() and "Verified" in page.inner_text("table")


def test_phone_photo_at_phone_width(app, new_page, browser_auth):
    page = new_page(phone=True)
    browser_auth.sign_up(page, "phone-photo@example.com", "Pat Phone")
    page.goto("/certificates/new")
    camera = page.locator("#photo")
    assert camera.get_attribute("capture") == "environment" and camera.get_attribute("accept") == "image/*"
    assert no_horizontal_scroll(page)
    screenshot(page, "certificate-upload-phone")
    content = samples.jpeg(1600, 1200, seed=5)
    with job_held_back(app, content):
        _upload(page, "photo", "IMG_0412.JPG", "image/jpeg", content)
        assert "Verifying" in page.locator("#certificate-status").inner_text()
        assert no_horizontal_scroll(page)
    page.wait_for_selector("#certificate-status .cert-verified", timeout=20_000)
    preview = page.locator(".certificate-preview img")
    preview.wait_for()
    page.wait_for_function("document.querySelector('.certificate-preview img').naturalWidth > 0")
    assert no_horizontal_scroll(page)
    screenshot(page, "certificate-verified-phone")
    assert _download(page) == content
    assert serious_axe_violations(page) == []


def test_refused_file_shows_a_clear_message(new_page, browser_auth):
    page = new_page()
    browser_auth.sign_up(page, "refused@example.com", "Rae Refused")
    page.goto("/certificates/new")
    page.set_input_files("#file", files=[{"name": "certificate.pdf", "mimeType": "application/pdf",
                                          "buffer": b"<!DOCTYPE html><html><body>not a pdf</body></html>"}])
    page.click("#upload-form button[type=submit]")
    error = page.locator("#file-error")
    error.wait_for()
    assert "web-page code" in error.inner_text()
    assert page.locator("#file").get_attribute("aria-invalid") == "true"
    screenshot(page, "certificate-refused")


def test_a_flipped_byte_is_caught_on_download(app, new_page, browser_auth):
    page = new_page()
    browser_auth.sign_up(page, "flip@example.com", "Flo Flip")
    content = samples.pdf("A certificate that will be damaged")
    _upload(page, "file", "damaged.pdf", "application/pdf", content)
    page.wait_for_selector("#certificate-status .cert-verified", timeout=20_000)
    digest = hashlib.sha256(content).hexdigest()
    blob = Path(app.config["CERTIFICATE_ROOT"]) / digest[:2] / digest[2:4] / digest
    data = bytearray(blob.read_bytes())
    data[len(data) // 2] ^= 0x01
    blob.write_bytes(bytes(data))
    file_url = page.locator("#certificate-status a:has-text('Download')").get_attribute("href")
    response = page.goto(file_url)
    assert response.status == 500
    assert "This file failed its integrity check" in page.content()
    assert "no longer matches the file you uploaded" in page.content()
    screenshot(page, "certificate-integrity-refused")
    page.go_back()
    page.reload()
    assert "This file failed its integrity check." in page.locator("#certificate-status").inner_text()
    assert page.locator("#certificate-status a:has-text('Download')").count() == 0


def test_deleting_an_activity_with_its_certificate_at_phone_width(app, new_page, browser_auth, dbs):
    from sqlalchemy import select

    from app.auth.models import User
    from tests.certificates.conftest import make_activity
    page = new_page(javascript=False, phone=True)
    browser_auth.sign_up(page, "activity-delete@example.com", "Ada Delete")
    user_id = dbs.scalar(select(User.id).where(User.email == "activity-delete@example.com"))
    activity = make_activity(dbs, user_id, "Boundaries in telehealth")
    page.goto(f"/activities/{activity}")
    page.click("a:has-text('Its certificate')")
    content = samples.pdf("Boundaries in telehealth, 2 hours")
    page.set_input_files("#file", files=[{"name": "boundaries.pdf", "mimeType": "application/pdf",
                                          "buffer": content}])
    page.click("#upload-form button[type=submit]")
    page.wait_for_url(CERTIFICATE_PAGE)
    assert "Boundaries in telehealth" in page.locator(".certificate-facts").inner_text()
    page.goto(f"/activities/{activity}/delete")
    assert page.inner_text("legend") == "It has a certificate. What should happen to it?"
    assert page.is_checked("input[value=keep]") and "Keep it in my account" in page.content()
    assert no_horizontal_scroll(page)
    screenshot(page, "activity-delete-with-certificate-phone")
    page.check("input[value=delete]")
    page.click("button:has-text('Delete the activity')")
    page.wait_for_url("**/activities")
    assert "Its certificate was deleted too." in page.content()
    page.goto("/certificates")
    assert "No certificates yet" in page.content()
