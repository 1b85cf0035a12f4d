"""Downloading: the bytes checked against their hash as they are served, the headers, damage refused."""
from __future__ import annotations

import hashlib
import io
import logging
import re
from urllib.parse import unquote

import pytest
from sqlalchemy import update

from app.certificates import service
from app.certificates.models import Certificate
from app.certificates.storage import BlobCorrupt
from tests.certificates import samples
from tests.certificates.conftest import audit_actions, certificate_id, certificate_row, upload


def verified(client, run_jobs, dbs, content: bytes, name: str = "certificate.pdf"):
    number = certificate_id(upload(client, content, name))
    run_jobs()
    row = certificate_row(dbs, number)
    assert row.status == "verified"
    return row


def test_download_gives_the_same_bytes_with_safe_headers(user_client, dbs, run_jobs):
    content = samples.pdf()
    row = verified(user_client, run_jobs, dbs, content, "Ethics – 3 hours.pdf")
    response = user_client.get(f"/certificates/{row.id}/file")
    assert response.status_code == 200 and response.data == content
    headers = response.headers
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Length"] == str(len(content))
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cache-Control"] == "no-store"
    assert headers["Content-Security-Policy"].startswith("sandbox")
    assert headers["Content-Disposition"] == (
        "attachment; filename=\"Ethics - 3 hours.pdf\"; filename*=UTF-8''Ethics%20%E2%80%93%203%20hours.pdf")


def test_the_stored_type_decides_the_type_and_extension_never_the_name(user_client, dbs, run_jobs):
    content = samples.jpeg()
    row = verified(user_client, run_jobs, dbs, content, "scan.pdf.html")
    response = user_client.get(f"/certificates/{row.id}/file")
    assert response.headers["Content-Type"] == "image/jpeg" and response.data == content
    assert response.headers["Content-Disposition"].endswith("filename*=UTF-8''scan.pdf.jpg")


def test_photos_may_be_shown_inline_under_a_sandbox_pdfs_never(user_client, dbs, run_jobs):
    photo = verified(user_client, run_jobs, dbs, samples.png(), "photo.png")
    response = user_client.get(f"/certificates/{photo.id}/file?inline=1")
    assert response.headers["Content-Disposition"].startswith("inline;")
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'; img-src 'self'"
    document = verified(user_client, run_jobs, dbs, samples.pdf(), "c.pdf")
    response = user_client.get(f"/certificates/{document.id}/file?inline=1")
    assert response.headers["Content-Disposition"].startswith("attachment;")


HOSTILE = {  # raw name -> the name a download suggests
    "../../../etc/passwd.pdf": "passwd.pdf",
    "..\\..\\boot.ini.pdf": "boot.ini.pdf",
    "evil\x00.pdf": "evil.pdf",
    "line\r\nSet-Cookie: a=1.pdf": "line Set-Cookie: a=1.pdf",
    'quote"; filename="x.html.pdf': 'quote"; filename="x.html.pdf',
    "invoice\u202efdp.exe": "invoicefdp.pdf",
    "é" * 300 + ".pdf": "é" * 116 + ".pdf",
    "\u202e\u202e": "certificate.pdf",
}


@pytest.mark.parametrize("raw", list(HOSTILE), ids=["dotdot", "backslash", "nul", "crlf", "quotes", "rtl", "300",
                                                    "only-rtl"])
def test_hostile_names_are_served_safely(user_client, dbs, run_jobs, raw):
    """Uploaded under that name; a name a test client cannot send (CR, LF, quotes) is put straight into
    the row, as a name that escaped cleaning: it is served safely all the same."""
    content = samples.pdf()
    sendable = not any(ch in raw for ch in '\r\n"')
    row = verified(user_client, run_jobs, dbs, content, raw if sendable else "upload.pdf")
    if not sendable:
        dbs.execute(update(Certificate).where(Certificate.id == row.id).values(original_name=raw))
        dbs.commit()
    response = user_client.get(f"/certificates/{row.id}/file")
    assert response.status_code == 200 and response.data == content
    disposition = response.headers["Content-Disposition"]
    match = re.fullmatch(r'attachment; filename="([A-Za-z0-9._() -]+)"; filename\*=UTF-8\'\'([A-Za-z0-9%._~-]+)',
                         disposition)
    assert match, disposition
    fallback, encoded = match.group(1), unquote(match.group(2))
    assert encoded == HOSTILE[raw]
    assert fallback.endswith(".pdf") and not fallback.startswith(".")


def _flip_a_byte(store, sha256: str, offset: int = 200) -> None:
    path = store.path(sha256)
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def test_a_flipped_byte_is_refused_with_a_message_an_audit_event_and_a_log_line(
        user_client, dbs, store, run_jobs, caplog):
    row = verified(user_client, run_jobs, dbs, samples.pdf())
    _flip_a_byte(store, row.sha256)
    with caplog.at_level(logging.ERROR, logger="app.certificates.service"):
        response = user_client.get(f"/certificates/{row.id}/file")
    page = response.get_data(as_text=True)
    assert response.status_code == 500 and "%PDF" not in page
    assert "This file failed its integrity check" in page and "no longer matches the file you uploaded" in page
    assert response.headers["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response.headers
    assert any(r.levelno == logging.ERROR and f"certificate {row.id}" in r.getMessage() and "corrupt" in r.getMessage()
               for r in caplog.records)
    assert audit_actions(dbs, user_client.user.id).count("certificate_integrity_failed") == 1
    assert certificate_row(dbs, row.id).status == "corrupt"
    again = user_client.get(f"/certificates/{row.id}/file")  # refused again, not audited twice
    assert again.status_code == 500 and "integrity check" in again.get_data(as_text=True)
    assert audit_actions(dbs, user_client.user.id).count("certificate_integrity_failed") == 1
    status = user_client.get(f"/certificates/{row.id}").get_data(as_text=True)
    assert "This file failed its integrity check." in status and "Upload it again" in status
    assert "Failed its integrity check" in user_client.get("/certificates").get_data(as_text=True)


def test_a_missing_blob_is_refused_with_its_own_message(user_client, dbs, store, run_jobs):
    row = verified(user_client, run_jobs, dbs, samples.jpeg(), "p.jpg")
    store.path(row.sha256).unlink()
    response = user_client.get(f"/certificates/{row.id}/file")
    assert response.status_code == 500 and "The stored copy of this file is gone" in response.get_data(as_text=True)
    assert certificate_row(dbs, row.id).status == "missing"
    assert "certificate_integrity_failed" in audit_actions(dbs, user_client.user.id)


def test_pending_download_waits(user_client):
    number = certificate_id(upload(user_client, samples.pdf()))
    response = user_client.get(f"/certificates/{number}/file")
    assert response.status_code == 409 and "still being verified" in response.get_data(as_text=True)


def test_bytes_changed_after_the_first_pass_cut_the_download_short(user_client, dbs, store, run_jobs, monkeypatch,
                                                                     caplog):
    """The route serves through served_chunks, which hashes again: the last chunk is withheld."""
    content = samples.large_pdf(3 * 1024 * 1024)
    row = verified(user_client, run_jobs, dbs, content)
    _flip_a_byte(store, row.sha256, offset=len(content) - 100)
    # the verifying pass "misses" the change, as when the bytes change just after it
    monkeypatch.setattr(service, "hash_stream", lambda stream: (row.sha256, len(content)))
    response = user_client.get(f"/certificates/{row.id}/file", buffered=False)
    assert response.status_code == 200
    received = bytearray()
    with pytest.raises(BlobCorrupt):
        for chunk in response.response:
            received.extend(chunk)
    assert len(received) < len(content) and bytes(received) == content[:len(received)]
    assert "changed while being served" in caplog.text


def test_served_chunks_pass_every_byte_of_a_good_blob():
    content = bytes(range(256)) * 9000  # a bit over 2 MiB: three chunks
    chunks = list(service.served_chunks(io.BytesIO(content), 1, hashlib.sha256(content).hexdigest()))
    assert b"".join(chunks) == content and len(chunks) == 3
