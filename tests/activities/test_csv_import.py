"""CSV import: upload, column mapping, a preview with per-row errors, and nothing saved until confirmed."""
from __future__ import annotations

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.activities.csv_import import guess_mapping, parse_format, parse_topics, read_upload
from app.activities.models import Activity
from app.audit import AuditEvent

PAST = date.today() - timedelta(days=20)
US_PAST = f"{PAST.month}/{PAST.day}/{PAST.year}"
FUTURE = (date.today() + timedelta(days=5)).isoformat()


def upload(client, text: str | bytes, name: str = "activities.csv"):
    raw = text.encode() if isinstance(text, str) else text
    return client.post_form("/activities/import", {"file": (io.BytesIO(raw), name)})


def token_of(response) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)
    return re.fullmatch(r"/activities/import/([A-Za-z0-9_-]+)", response.headers["Location"]).group(1)


def saved(dbs, user_id) -> list[Activity]:
    dbs.expire_all()
    return dbs.scalars(select(Activity).where(Activity.user_id == user_id).order_by(Activity.title)).all()


SAMPLE = (
    "Course Title,Date Completed,CE Hours,Delivery,Topics,Sponsor,Notes\n"
    f"Ethics update,{PAST.isoformat()},3,Webinar,ethics:2; general:1,PESI,\n"
    f"Old school law,{US_PAST},1.5,In person,Law,Board,=cmd|' /C calc'!A0\n"
    f"Tomorrow's course,{FUTURE},2,Self-study,,X,\n"
    f"Too long,{PAST.isoformat()},120,online,,Y,\n"
)


def test_upload_guesses_columns_and_shows_the_file(user_client, dbs):
    token = token_of(upload(user_client, SAMPLE))
    page = user_client.get(f"/activities/import/{token}").get_data(as_text=True)
    assert "4 rows in <strong>activities.csv</strong>" in page
    assert re.search(r'name="col_title"[^>]*>\s*<option value="">Not in the file</option>\s*'
                     r'<option value="0" selected>Course Title</option>', page)
    assert '<option value="2" selected>CE Hours</option>' in page
    assert '<option value="3" selected>Delivery</option>' in page
    assert saved(dbs, user_client.user.id) == []


def test_preview_lists_rows_with_their_errors_and_saves_nothing(user_client, dbs):
    token = token_of(upload(user_client, SAMPLE))
    page = user_client.get(f"/activities/import/{token}/preview").get_data(as_text=True)
    assert "<strong>2</strong> rows are ready." in page and "<strong>2</strong> rows have" in page
    assert "Date completed: The completion date cannot be in the future." in page
    assert "Hours: Enter more than 0 and at most 100 hours." in page
    assert "Format: &#34;online&#34; is not a format we know" in page
    assert "Import 2 activities" in page
    assert saved(dbs, user_client.user.id) == []


def test_confirm_saves_the_good_rows_reports_the_skipped_and_forgets_the_upload(user_client, dbs):
    token = token_of(upload(user_client, SAMPLE))
    response = user_client.post_form(f"/activities/import/{token}", {"mapped": "1", "col_title": "0",
                                                                     "col_completed_on": "1", "col_hours": "2",
                                                                     "col_format": "3", "col_topics": "4",
                                                                     "col_provider": "5", "col_notes": "6"})
    assert response.status_code == 303 and response.headers["Location"] == "/activities"
    ethics, law = saved(dbs, user_client.user.id)
    assert (ethics.title, ethics.completed_on, ethics.hours, ethics.format) == (
        "Ethics update", PAST, Decimal("3.00"), "live_online")
    assert {t.topic: t.hours for t in ethics.topics} == {"ethics": Decimal(2), "general": Decimal(1)}
    assert (law.completed_on, law.format, [(t.topic, t.hours) for t in law.topics]) == (
        PAST, "live", [("law", Decimal("1.50"))])
    assert law.notes == "=cmd|' /C calc'!A0"
    page = user_client.get("/activities").get_data(as_text=True)
    assert "Imported 2 activities. Skipped 2 rows with errors (lines 4, 5)." in page
    assert dbs.scalar(select(AuditEvent).where(AuditEvent.action == "activities_imported")).details["count"] == 2
    again = user_client.post_form(f"/activities/import/{token}", {"mapped": "1", "col_title": "0"})
    assert again.status_code == 404 and len(saved(dbs, user_client.user.id)) == 2


def test_mapping_chosen_by_hand_is_used(user_client, dbs):
    text = "A,B,C\nSomething,2026-01-02,x\n"
    token = token_of(upload(user_client, text))
    page = user_client.get(f"/activities/import/{token}/preview", query_string={
        "mapped": "1", "col_title": "0", "col_completed_on": "1", "col_ceus": "2", "default_format": "self_study"})
    assert "CEUs: Enter a number, like 1.5." in page.get_data(as_text=True)
    text = f"Name,When,CEU\nWorkshop,{US_PAST},0.6\n"
    token = token_of(upload(user_client, text))
    args = {"mapped": "1", "col_title": "0", "col_completed_on": "1", "col_ceus": "2", "default_format": "live"}
    html = user_client.get(f"/activities/import/{token}/preview", query_string=args).get_data(as_text=True)
    assert "<strong>1</strong> row is ready." in html
    assert user_client.post_form(f"/activities/import/{token}", args).status_code == 303
    [workshop] = saved(dbs, user_client.user.id)
    assert workshop.hours == Decimal("6.00") and workshop.format == "live"


def test_rows_without_format_are_refused_unless_a_default_is_chosen(user_client):
    token = token_of(upload(user_client, f"Title,Date,Hours\nA,{PAST.isoformat()},1\n"))
    page = user_client.get(f"/activities/import/{token}/preview").get_data(as_text=True)
    assert "Format: Give the format, or choose one for rows without it." in page
    page = user_client.get(f"/activities/import/{token}/preview?default_format=live").get_data(as_text=True)
    assert "<strong>1</strong> row is ready." in page


def test_rows_already_logged_or_repeated_are_refused(user_client, make_activity):
    make_activity(user_client.user, title="Ethics update", completed_on=PAST, hours=Decimal(3))
    text = ("Title,Date,Hours,Format\n"
            f"ethics  UPDATE,{PAST.isoformat()},3,live\nNew one,{PAST.isoformat()},2,live\n"
            f"New one,{PAST.isoformat()},2,live\n")
    token = token_of(upload(user_client, text))
    page = user_client.get(f"/activities/import/{token}/preview").get_data(as_text=True)
    assert page.count("Already logged") == 2 and "<strong>1</strong> row is ready." in page


def test_licenses_by_name_or_by_date(user_client, dbs, make_license):
    user = user_client.user
    lpc = make_license(user, "LPC", PAST - timedelta(days=100), PAST + timedelta(days=400))
    lmft = make_license(user, "LMFT", PAST - timedelta(days=100), PAST + timedelta(days=400), number="MFT-9")
    text = ("Title,Date,Hours,Format,Licenses\n"
            f"By name,{PAST.isoformat()},1,live,mft-9\n"
            f"By date,{PAST.isoformat()},1,live,\n"
            f"Unknown,{PAST.isoformat()},1,live,RN\n")
    token = token_of(upload(user_client, text))
    page = user_client.get(f"/activities/import/{token}/preview").get_data(as_text=True)
    assert 'Licenses: no single license called &#34;RN&#34;.' in page
    assert user_client.post_form(f"/activities/import/{token}", {}).status_code == 303
    by_date, by_name = saved(dbs, user.id)
    assert sorted(lic.id for lic in by_date.licenses) == sorted([lpc, lmft])
    assert [lic.id for lic in by_name.licenses] == [lmft]


def test_an_exported_file_imports_back(user_client, auth, make_client, make_activity, make_license, dbs):
    user = user_client.user
    lpc = make_license(user, "LPC")
    make_activity(user, title="Round trip", provider="PESI", approval_body="NBCC", approval_number="7",
                  started_on=PAST - timedelta(days=1), completed_on=PAST, hours=Decimal("2.5"), format="self_study",
                  topics={"ethics": Decimal(1), "law": Decimal("1.5")}, license_ids=[lpc], notes="+ notes")
    exported = user_client.get("/activities/export.csv").data
    bob_client = make_client()
    bob = auth.sign_up(bob_client, "bob@example.com", "Bob")
    token = token_of(upload(bob_client, exported))
    page = bob_client.get(f"/activities/import/{token}/preview").get_data(as_text=True)
    assert "Licenses: no single license called" in page  # Bob has no LPC: refused, not guessed
    bob_lpc = make_license(bob, "LPC")
    assert bob_client.post_form(f"/activities/import/{token}", {}).status_code == 303
    [copy] = saved(dbs, bob.id)
    assert (copy.title, copy.provider, copy.approval_body, copy.approval_number, copy.started_on, copy.completed_on,
            copy.hours, copy.format, copy.notes) == ("Round trip", "PESI", "NBCC", "7", PAST - timedelta(days=1),
                                                     PAST, Decimal("2.50"), "self_study", "+ notes")
    assert {t.topic: t.hours for t in copy.topics} == {"ethics": Decimal(1), "law": Decimal("1.5")}
    assert [lic.id for lic in copy.licenses] == [bob_lpc]


@pytest.mark.parametrize("raw, message", [
    (b"", "Choose a CSV file to import."),
    (b"Title,Date\n", "The file needs a header row and at least one activity."),
    (b"%PDF-1.7\x00\x01binary", "This is not a CSV file."),
    (b"a\n" + b"x\n" * 2001, "more than 2000 rows"),
])
def test_unreadable_files_are_422(user_client, raw, message):
    if raw:
        response = upload(user_client, raw)
    else:
        response = user_client.post_form("/activities/import", {})
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_discarding_forgets_the_upload(user_client):
    token = token_of(upload(user_client, SAMPLE))
    response = user_client.post_form(f"/activities/import/{token}/discard")
    assert response.status_code == 303
    assert user_client.get(f"/activities/import/{token}").status_code == 404


def test_upload_waits_in_redis_with_a_time_limit_not_in_the_cookie(app, user_client):
    token = token_of(upload(user_client, SAMPLE))
    [key] = [k for k in app.extensions["redis"].scan_iter(match=f"*activities:import:*:{token}")]
    assert 0 < app.extensions["redis"].ttl(key) <= 3600
    cookie = user_client.get_cookie("session", domain="localhost")
    assert "Ethics update" not in (cookie.value if cookie else "")


def test_semicolon_files_and_windows_encoding_are_read():
    parsed = read_upload("x.csv", "Titel;Datum;Stunden\nÉthique;2026-01-02;2\n".encode("cp1252"))
    assert parsed.headers == ["Titel", "Datum", "Stunden"] and parsed.rows == [["Éthique", "2026-01-02", "2"]]


def test_guessing_and_parsing_helpers():
    assert guess_mapping(["Course Name", "Completion Date", "Contact Hours", "CEUs", "Format"]) == {
        "title": 0, "completed_on": 1, "started_on": None, "hours": 2, "ceus": 3, "format": 4, "topics": None,
        "provider": None, "approval_body": None, "approval_number": None, "licenses": None, "notes": None}
    assert parse_format("Home study") == "self_study" and parse_format("Live Online") == "live_online"
    assert parse_format("online") is None
    assert parse_topics("Ethics: 2; Laws and rules:1", "hours", Decimal(3)) == {"ethics": 2, "law": 1}
    assert parse_topics("HIV/AIDS", "hours", Decimal(2)) == {"hiv_aids": 2}
    assert parse_topics("ethics:0.1", "ceus", Decimal(3)) == {"ethics": 1}
    with pytest.raises(ValueError):
        parse_topics("astrology:2", "hours", Decimal(3))
