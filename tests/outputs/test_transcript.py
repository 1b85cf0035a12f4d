"""The transcript: its contents on the page, in the PDF (read back with pypdf) and in the CSV, and totals
that are the progress engine's own."""
from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from pypdf import PdfReader

from app.licenses.catalog import load_catalog
from tests.outputs.seed import add_activity, licensee

TODAY = "2026-06-15 15:00:00+00:00"


@pytest.fixture(autouse=True)
def frozen():
    """June 15, 2026, from before the sign-in on (a session made later than "now" would be refused)."""
    with time_machine.travel(TODAY, tick=True):
        yield


@pytest.fixture
def ann(frozen, user_client, dbs, app):
    return licensee(dbs, app, user_id=user_client.user.id, email=user_client.user.email)


def test_page_shows_licensee_license_cycle_rules_activities_and_fingerprints(user_client, ann):
    page = user_client.get(f"/licenses/{ann.license_id}/transcript").get_data(as_text=True)
    for text in ["Ann Example", "LPC-12345", "Feb 1, 2025 to Jan 31, 2027", "Licensed Professional Counselor",
                 "texreg.sos.state.tx.us", "Ethics", "Cultural diversity/competency", "Ethics in counseling",
                 "Trauma-informed care", "CE Co", "NBCC N-77", "Live online", "Generated</dt><dd>Jun 15, 2026"]:
        assert text in page, text
    for sha in ann.certificate_shas.values():
        assert sha in page.replace("<wbr>", "")
    assert "Before the cycle" not in page  # dated before the cycle: not part of its transcript
    assert page.count("Certificate: missing") == 1  # "Cultural humility" has no certificate


def test_totals_are_the_progress_engines(app, user_client, ann, dbs):
    add_activity(dbs, ann.user_id, ann.license_id, "Self-study one", date(2025, 9, 1), "2", fmt="self_study")
    with app.test_request_context():
        from app.licenses.standing import standings
        from app.outputs import access, transcript
        engine = standings(ann.user_id, date(2026, 6, 15))[0].progress
        t = transcript.build(*access.owned_cycle(ann.user_id, ann.license_id, None))
    assert t.progress == engine
    assert t.logged_hours == engine.logged_hours == Decimal("15")
    assert engine.counted_hours == Decimal("14")  # the self-study cap lets 1 of the 2 h count
    assert {topic.key: topic.counted for topic in t.progress.topics}["ethics"] == Decimal("3")
    page = user_client.get(f"/licenses/{ann.license_id}/transcript").get_data(as_text=True)
    total = re.search(r'class="total-row">.*?<td class="num">([\d.]+) h</td><td class="num">([\d.]+) h', page, re.S)
    assert total.groups() == ("24", "14")
    rows = list(csv.reader(io.StringIO(user_client.get(
        f"/licenses/{ann.license_id}/transcript.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert ["Total", "24", "14.00", engine.status.value] in rows
    assert ["Logged in this cycle", "", "15.00", ""] in rows


def test_pdf_holds_every_activity_and_fingerprint(user_client, ann):
    response = user_client.get(f"/licenses/{ann.license_id}/transcript.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    squeezed = re.sub(r"\s+", "", text)
    for title in ["Ethics in counseling", "Cultural humility", "Trauma-informed care", "Human trafficking awareness"]:
        assert re.sub(r"\s+", "", title) in squeezed, title
    for sha in ann.certificate_shas.values():
        assert sha in squeezed
    assert "Ann Example" in text and "LPC-12345" in text and "Licensed Professional Counselor" in text
    assert "Before the cycle" not in text


def test_csv_has_one_line_per_activity_with_fingerprints(user_client, ann):
    response = user_client.get(f"/licenses/{ann.license_id}/transcript.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    header = rows.index(["completed_on", "title", "provider", "approval_body", "approval_number", "format", "hours",
                         "topics", "certificate_sha256"])
    activities = rows[header + 1:header + 5]
    assert [row[1] for row in activities] == ["Ethics in counseling", "Cultural humility", "Trauma-informed care",
                                              "Human trafficking awareness"]
    assert activities[1][8] == "missing"
    assert activities[0][8] == ann.certificate_shas[ann.activity_ids[0]]
    assert rows[1][0] == "Ann Example" and rows[1][2] == "LPC-12345"


def test_print_stylesheet_lays_the_table_out_fixed():
    from app.outputs.transcript import PRINT_CSS
    css = PRINT_CSS.read_text()
    assert re.search(r"\btable\s*\{[^}]*table-layout:\s*fixed", css)
    assert load_catalog().get("tx-lpc").sources  # the transcript has sources to show


def test_a_formula_in_a_title_is_quoted_in_the_csv(user_client, ann, dbs):
    add_activity(dbs, ann.user_id, ann.license_id, "=HYPERLINK(\"x\")", date(2025, 5, 1), "1")
    text = user_client.get(f"/licenses/{ann.license_id}/transcript.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in text
