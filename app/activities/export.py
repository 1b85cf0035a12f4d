"""Activities as a CSV file that opens safely in a spreadsheet."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from app.activities.models import Activity
from app.activities.service import license_name
from app.activities.vocabulary import FORMATS
from app.spreadsheets import neutralise
from app.templating import hours as hours_text

COLUMNS = ["Date started", "Date completed", "Title", "Provider", "Approval body", "Approval number", "Format",
           "Hours", "Topic hours", "Licenses", "Notes"]
def topic_hours(activity: Activity) -> str:
    """ "ethics:2; general:1": the form the import reads back."""
    return "; ".join(f"{t.topic}:{hours_text(t.hours)}" for t in activity.topics)


def row(activity: Activity) -> list[str]:
    values = [
        activity.started_on.isoformat() if activity.started_on else "",
        activity.completed_on.isoformat(),
        activity.title, activity.provider or "", activity.approval_body or "", activity.approval_number or "",
        FORMATS.get(activity.format, activity.format), hours_text(activity.hours), topic_hours(activity),
        "; ".join(license_name(lic) for lic in activity.licenses), activity.notes or "",
    ]
    return [neutralise(value) for value in values]


def to_csv(activities: Iterable[Activity]) -> str:
    """The whole file, with a byte-order mark so that Excel reads it as UTF-8."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for activity in activities:
        writer.writerow(row(activity))
    return buffer.getvalue()
