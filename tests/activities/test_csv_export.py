"""CSV export: the columns, the current filters, and formulas neutralised for spreadsheets."""
from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.spreadsheets import neutralise


def _rows(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_export_has_every_column_and_topic_hours(user_client, make_activity, make_license):
    user = user_client.user
    lpc = make_license(user, "LPC", board="Texas BHEC")
    done = date.today() - timedelta(days=4)
    make_activity(user, title="Ethics day", provider="PESI", approval_body="NBCC", approval_number="N-1",
                  started_on=done - timedelta(days=1), completed_on=done, hours=Decimal("3.5"), format="live",
                  topics={"general": Decimal(1), "ethics": Decimal(2)}, license_ids=[lpc], notes="Room 4")
    response = user_client.get("/activities/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="ce-activities-')
    header, row = _rows(response)
    assert header == ["Date started", "Date completed", "Title", "Provider", "Approval body", "Approval number",
                      "Format", "Hours", "Topic hours", "Licenses", "Notes"]
    assert row == [(done - timedelta(days=1)).isoformat(), done.isoformat(), "Ethics day", "PESI", "NBCC", "N-1",
                   "In person", "3.5", "ethics:2; general:1", "LPC, Texas BHEC", "Room 4"]


def test_export_applies_the_current_filters(user_client, make_activity):
    make_activity(user_client.user, title="Ethics one", topics={"ethics": Decimal(1)})
    make_activity(user_client.user, title="Other", format="self_study")
    rows = _rows(user_client.get("/activities/export.csv?topic=ethics"))
    assert [r[2] for r in rows[1:]] == ["Ethics one"]
    rows = _rows(user_client.get("/activities/export.csv?q=oth"))
    assert [r[2] for r in rows[1:]] == ["Other"]


@pytest.mark.parametrize("payload", ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1)"])
def test_formula_payloads_are_neutralised(user_client, make_activity, payload):
    make_activity(user_client.user, title=payload, provider=payload, notes=payload, approval_number=payload[:60])
    [_, row] = _rows(user_client.get("/activities/export.csv"))
    assert row[2] == "'" + payload and row[3] == "'" + payload and row[10] == "'" + payload
    assert row[5].startswith("'")


def test_neutralise_prefixes_every_formula_start_and_leaves_plain_text_alone():
    for start in ["=", "+", "-", "@", "\t", "\r"]:
        assert neutralise(start + "1") == "'" + start + "1"
    assert neutralise("Ethics = good") == "Ethics = good" and neutralise("") == ""


def test_other_users_activities_are_never_exported(user_client, auth, make_client, make_activity):
    bob = auth.sign_up(make_client(), "bob@example.com", "Bob")
    make_activity(bob, title="Bob's course")
    make_activity(user_client.user, title="Ann's course")
    rows = _rows(user_client.get("/activities/export.csv"))
    assert [r[2] for r in rows[1:]] == ["Ann's course"]
