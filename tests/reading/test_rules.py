"""The plan (who reads, what is sent), the second range check before the form, and the daily count."""
from __future__ import annotations

from datetime import date

from app.reading import limits
from app.reading.plan import NO_KEY, UNSENDABLE, decide, pdf_text
from app.reading.prefill import prefill
from app.reading.store import Reading
from tests.reading.helpers import certificate_pdf, corpus, scanned_pdf

TEXT = "Certificate of completion: Ethics for counselors, 3 clock hours, March 3, 2025"
KEYED = {"api_key": "k", "model": "claude-x", "reads_left": 5, "per_day": 5}


def test_without_a_key_the_local_parser_reads_and_nothing_is_sent():
    plan = decide(TEXT, media_type=None, has_file=False, **KEYED | {"api_key": None})
    assert (plan.reader, plan.sends, plan.reason, plan.readable) == ("local", None, NO_KEY, True)
    assert not plan.needs_confirmation


def test_with_a_key_text_is_sent_and_client_information_needs_confirming():
    plan = decide(TEXT, media_type=None, has_file=False, **KEYED)
    assert (plan.reader, plan.model, plan.sends, plan.flags) == ("ai", "claude-x", "text", [])
    flagged = decide(TEXT + "\nPatient: Mary Jones", media_type=None, has_file=False, **KEYED)
    assert [f.text for f in flagged.flags] == ["Mary Jones"] and flagged.needs_confirmation


def test_a_file_without_text_is_sent_as_the_file_only_when_its_kind_can_be():
    pdf = decide("", media_type="application/pdf", has_file=True, **KEYED)
    assert pdf.sends == "file" and pdf.needs_confirmation
    heic = decide("", media_type="image/heic", has_file=True, **KEYED)
    assert (heic.reader, heic.reason, heic.readable) == ("local", UNSENDABLE, False)


def test_no_reads_left_means_local_with_the_reason():
    plan = decide(TEXT, media_type=None, has_file=False, **KEYED | {"reads_left": 0, "per_day": 7})
    assert plan.reader == "local" and "today's 7 AI reads" in plan.reason


def test_pdf_text_reads_the_text_layer_and_nothing_from_a_scan():
    text, expected = corpus(1)
    assert expected["title"] in " ".join(pdf_text(certificate_pdf(text)).split())
    assert pdf_text(scanned_pdf()) == "" and pdf_text(b"%PDF-1.7 broken") == ""


def test_prefill_range_checks_the_stored_draft_again():
    raw = {"extraction": {"title": "Ethics", "hours": "400", "completed_on": "2026-02-01", "format": "live",
                          "categories": [{"name": "astrology", "hours": "1"}, {"name": "ethics", "hours": "1"}],
                          "approval": {"body": "Galactic", "number": "9"}, "confidence": {"title": 0.5}}}
    reading = Reading(id="r" * 12, user_id=1, source="paste", state="done", parser="ai", draft=raw)
    result = prefill(reading, today=date(2026, 1, 15))
    assert result.data == {"title": "Ethics", "format": "live", "approval_number": "9", "unit": "hours",
                           "topics": [{"topic": "ethics", "amount": "1"}]}
    assert result.marks["title"].percent == 50 and result.marks["title"].level == "low"
    assert any("in the future" in w for w in result.warnings) and any("400" in w for w in result.warnings)


def test_daily_count_stops_at_the_setting(app):
    with app.app_context():
        app.config["AI_READS_PER_DAY"] = 2
        try:
            day = date(2026, 3, 1)
            assert [limits.take(42, day) for _ in range(3)] == [True, True, False]
            assert limits.used(42, day) == 2 and limits.left(42, day) == 0
            assert limits.left(42, date(2026, 3, 2)) == 2  # a new day
        finally:
            app.config["AI_READS_PER_DAY"] = 20

