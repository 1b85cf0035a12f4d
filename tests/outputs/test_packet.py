"""The audit packet: cover sheet, transcript, then every certificate in date order, in one PDF and a ZIP,
built by a job whose progress the page shows."""
from __future__ import annotations

import io
import re
import zipfile

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.outputs.models import AuditPacket
from tests.outputs.seed import licensee


@pytest.fixture
def ann(user_client, dbs, app):
    return licensee(dbs, app, user_id=user_client.user.id, email=user_client.user.email,
                    cycle_start=__import__("datetime").date(2025, 2, 1))


def _ready_packet(user_client, ann, run_jobs, dbs):
    page = f"/licenses/{ann.license_id}/packet"
    response = user_client.post_form(page)
    assert response.status_code == 303
    waiting = user_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Check again" in waiting and 'hx-trigger="every 2s"' in waiting  # progress shown while it runs
    run_jobs()
    done = user_client.get(page).get_data(as_text=True)
    packet = dbs.scalar(select(AuditPacket).where(AuditPacket.user_id == ann.user_id))
    assert packet.state == "ready", done
    return packet, done


def test_packet_pdf_is_cover_transcript_then_certificates_in_date_order(user_client, ann, run_jobs, dbs, app):
    packet, page = _ready_packet(user_client, ann, run_jobs, dbs)
    assert f"/packets/{packet.id}/packet.pdf" in page and f"/packets/{packet.id}/packet.zip" in page
    response = user_client.get(f"/packets/{packet.id}/packet.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages]
    cover = pages[0]
    assert "CE audit packet" in cover and "Ann Example" in cover and "LPC-12345" in cover
    assert "Feb 1, 2025 to Jan 31, 2027" in cover
    assert "Activities missing proof" in cover and "Cultural humility" in cover  # no certificate on file
    assert "CE transcript" in pages[1]
    # after the transcript: the PDF certificate's own page, then one page per photo (JPEG, PNG), in date order
    certificate_pages = [i for i, text in enumerate(pages) if "Ethics in counseling certificate" in text]
    assert len(certificate_pages) == 1
    first = certificate_pages[0]
    assert len(pages) == first + 3
    reader = PdfReader(io.BytesIO(response.data))
    assert all(reader.pages[i].images for i in (first + 1, first + 2))  # the photos, one per page


def test_packet_zip_holds_the_same_files_named_by_date_and_title(user_client, ann, run_jobs, dbs):
    packet, _page = _ready_packet(user_client, ann, run_jobs, dbs)
    response = user_client.get(f"/packets/{packet.id}/packet.zip")
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    assert names == ["00 Cover sheet.pdf", "01 Transcript.pdf", "2025-03-03 Ethics in counseling.pdf",
                     "2025-05-02 Trauma-informed care.jpg", "2025-06-01 Human trafficking awareness.png"]
    import hashlib
    shas = {hashlib.sha256(archive.read(name)).hexdigest() for name in names[2:]}
    assert shas == set(ann.certificate_shas.values())


def test_a_damaged_certificate_is_named_on_the_cover(user_client, ann, run_jobs, dbs, app):
    from tests.account.seed import blob_file
    damaged = ann.certificate_shas[ann.activity_ids[2]]
    blob_file(app.config["CERTIFICATE_ROOT"], damaged).write_bytes(b"not the file any more")
    packet, _page = _ready_packet(user_client, ann, run_jobs, dbs)
    data = user_client.get(f"/packets/{packet.id}/packet.pdf").data
    cover = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Trauma-informed care" in cover and re.search(r"missing\s+or\s+damaged", cover)
    names = zipfile.ZipFile(io.BytesIO(user_client.get(f"/packets/{packet.id}/packet.zip").data)).namelist()
    assert not any("Trauma" in name for name in names)


def test_a_second_click_joins_the_packet_on_its_way(user_client, ann, dbs):
    user_client.post_form(f"/licenses/{ann.license_id}/packet")
    user_client.post_form(f"/licenses/{ann.license_id}/packet")
    assert len(dbs.scalars(select(AuditPacket)).all()) == 1


def test_expired_packet_answers_410_and_its_files_go(user_client, ann, run_jobs, dbs, app):
    from datetime import timedelta

    from app.db import utcnow
    packet, _page = _ready_packet(user_client, ann, run_jobs, dbs)
    packet.expires_at = utcnow() - timedelta(minutes=1)
    dbs.commit()
    folder = app.config["INSTANCE_DIR"] / "packets" / str(ann.user_id)
    assert (folder / f"{packet.id}.pdf").exists()
    assert user_client.get(f"/packets/{packet.id}/packet.pdf").status_code == 410
    assert not (folder / f"{packet.id}.pdf").exists() and not (folder / f"{packet.id}.zip").exists()


def test_clean_up_removes_expired_packets_and_files_of_packets_gone(app, user_client, ann, run_jobs, dbs):
    from datetime import timedelta

    from app.db import utcnow
    from app.outputs.packet import clean_up
    packet, _page = _ready_packet(user_client, ann, run_jobs, dbs)
    folder = app.config["INSTANCE_DIR"] / "packets" / str(ann.user_id)
    orphan = folder / "0f0f0f0f-0000-0000-0000-000000000000.zip"
    orphan.write_bytes(b"PK")
    with app.app_context():
        clean_up(utcnow())
        assert not orphan.exists()  # its packet row is gone (e.g. a purged account)
        assert (folder / f"{packet.id}.pdf").exists()
        assert clean_up(utcnow() + timedelta(hours=25)) >= 1
    assert not (folder / f"{packet.id}.pdf").exists()
