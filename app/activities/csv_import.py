"""Reading a CSV file of activities: decoding, guessing which column is which, checking each row.

Pure functions: the caller gives the user's licenses, the activities already logged and today's
date; nothing here touches the database, the session or Redis.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from app.activities.rules import ActivityData, hours_problem, parse_amount, parse_date, problems, to_hours
from app.activities.vocabulary import FORMATS, TOPICS
from app.spreadsheets import FORMULA_STARTS

MAX_BYTES = 1024 * 1024
MAX_ROWS = 2000


class ImportProblem(ValueError):
    """The file cannot be read at all (as opposed to a row with an error, which is skipped)."""


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    hint: str
    synonyms: tuple[str, ...]


# Our fields, in the order the mapping form shows them, with header names that usually mean them.
TARGETS = [
    Target("title", "Title", "Required.", ("title", "coursetitle", "course", "activity", "activitytitle",
                                           "program", "programtitle", "event", "name", "coursename")),
    Target("completed_on", "Date completed", "Required. 2026-05-01 or 5/1/2026.",
           ("datecompleted", "completedon", "completiondate", "completed", "enddate", "dateended", "date",
            "end", "datetaken")),
    Target("started_on", "Date started", "For courses over several days.",
           ("datestarted", "startedon", "startdate", "started", "begindate", "from")),
    Target("hours", "Hours", "Hours, or map a CEU column below.",
           ("hours", "cehours", "ceh", "contacthours", "credithours", "clockhours", "hrs", "credits", "ces",
            "cehrs", "totalhours")),
    Target("ceus", "CEUs", "1 CEU = 10 hours; used when a row has no hours.", ("ceus", "ceu", "ceunits")),
    Target("format", "Format", "In person, live online or self-study.",
           ("format", "delivery", "deliveryformat", "deliverymethod", "mode", "type", "coursetype")),
    Target("topics", "Topic hours", "Like \"ethics:2; general:1\", in the same unit as the total.",
           ("topichours", "topics", "topic", "categories", "category", "subject", "subjectarea")),
    Target("provider", "Provider", "", ("provider", "providername", "sponsor", "organization", "presenter",
                                        "organisation")),
    Target("approval_body", "Approval body", "", ("approvalbody", "approvedby", "accreditor", "accreditation",
                                                  "approvingbody")),
    Target("approval_number", "Approval number", "", ("approvalnumber", "approvalno", "approvalid",
                                                      "approval", "coursenumber", "courseno", "courseid")),
    Target("licenses", "Licenses", "Names as on your licenses page; empty: by date.",
           ("licenses", "license", "countstoward", "licences", "licence")),
    Target("notes", "Notes", "", ("notes", "note", "comments", "comment", "remarks")),
]
TARGET_KEYS = [t.key for t in TARGETS]

FORMAT_WORDS = {
    "live": "live", "inperson": "live", "in_person": "live", "classroom": "live", "onsite": "live",
    "face_to_face": "live", "facetoface": "live", "conference": "live", "workshop": "live",
    "live_online": "live_online", "liveonline": "live_online", "webinar": "live_online",
    "live_webinar": "live_online", "virtual": "live_online", "live_virtual": "live_online",
    "online_live": "live_online", "interactive_online": "live_online", "synchronous": "live_online",
    "self_study": "self_study", "selfstudy": "self_study", "home_study": "self_study",
    "on_demand": "self_study", "ondemand": "self_study", "recorded": "self_study",
    "recorded_webinar": "self_study", "correspondence": "self_study", "asynchronous": "self_study",
    "independent_study": "self_study",
}
TOPIC_WORDS = {"laws": "law", "jurisprudence": "law", "laws_and_rules": "law", "diversity": "cultural_diversity",
               "suicide": "suicide_prevention", "hiv": "hiv_aids", "aids": "hiv_aids", "trafficking":
               "human_trafficking", "bias": "implicit_bias", "substance_abuse": "substance_use",
               "addiction": "substance_use", "child_abuse_reporting": "child_abuse"}


@dataclass
class Upload:
    name: str
    headers: list[str]
    rows: list[list[str]]
    lines: list[int]  # the line of the file each row ends on, for messages people can find


@dataclass
class PreviewRow:
    line: int
    data: ActivityData | None
    errors: list[str] = field(default_factory=list)
    cells: dict[str, str] = field(default_factory=dict)
    license_names: list[str] = field(default_factory=list)


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def read_upload(name: str, raw: bytes) -> Upload:
    """Headers and rows of a CSV file (comma, semicolon or tab separated); ImportProblem if unreadable."""
    if len(raw) > MAX_BYTES:
        raise ImportProblem("The file is larger than 1 MB. Split it and import the parts one by one.")
    if b"\x00" in raw:
        raise ImportProblem("This is not a CSV file. Save the spreadsheet as CSV and try again.")
    text = _decode(raw)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    records, lines = [], []
    try:
        reader = csv.reader(io.StringIO(text), dialect)
        for record in reader:
            if any(cell.strip() for cell in record):
                records.append(record)
                lines.append(reader.line_num)
    except csv.Error as exc:
        raise ImportProblem(f"The file could not be read as CSV ({exc}).") from None
    if len(records) < 2:
        raise ImportProblem("The file needs a header row and at least one activity.")
    if len(records) - 1 > MAX_ROWS:
        raise ImportProblem(f"The file has more than {MAX_ROWS} rows. Split it and import the parts one by one.")
    headers = [cell.strip() or f"Column {i + 1}" for i, cell in enumerate(records[0])]
    width = max(len(r) for r in records)
    headers += [f"Column {i + 1}" for i in range(len(headers), width)]
    rows = [[_restore(cell) for cell in r] + [""] * (width - len(r)) for r in records[1:]]
    return Upload(name=name, headers=headers, rows=rows, lines=lines[1:])


def _restore(cell: str) -> str:
    """Undoes the export's formula guard ("'=x" -> "=x"), so that our own files import as they were."""
    cell = cell.strip()
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.casefold())


def _words(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")


def guess_mapping(headers: list[str]) -> dict[str, int | None]:
    """Which column holds which field, from header names: exact synonyms first, then partial ones."""
    squashed = [_squash(h) for h in headers]
    mapping: dict[str, int | None] = dict.fromkeys(TARGET_KEYS)
    used: set[int] = set()
    for exact in (True, False):
        for target in TARGETS:
            if mapping[target.key] is not None:
                continue
            for synonym in target.synonyms:
                found = next((i for i, h in enumerate(squashed) if i not in used and h and (
                    h == synonym if exact else (len(synonym) > 3 and synonym in h))), None)
                if found is not None:
                    mapping[target.key] = found
                    used.add(found)
                    break
    return mapping


def mapping_from_args(args, headers: list[str]) -> dict[str, int | None]:
    """The mapping chosen in the form ("col_title=2"); out-of-range or blank means "not in the file"."""
    mapping: dict[str, int | None] = {}
    for key in TARGET_KEYS:
        text = (args.get(f"col_{key}") or "").strip()
        mapping[key] = int(text) if text.isdigit() and int(text) < len(headers) else None
    return mapping


def parse_format(text: str) -> str | None:
    words = _words(text)
    if words in FORMAT_WORDS:
        return FORMAT_WORDS[words]
    for key, label in FORMATS.items():
        if words == _words(label):
            return key
    return None


def parse_topic(text: str) -> str | None:
    words = _words(text)
    if words in TOPICS:
        return words
    for key, label in TOPICS.items():
        if words == _words(label):
            return key
    return TOPIC_WORDS.get(words)


def parse_topics(text: str, unit: str, total: Decimal | None) -> dict[str, Decimal]:
    """ "ethics:2; general:1" -> hours by topic; a lone topic name takes the whole total."""
    parts = [p.strip() for p in re.split(r"[;\n|]", text) if p.strip()]
    topics: dict[str, Decimal] = {}
    for part in parts:
        name, _, amount_text = part.partition(":") if ":" in part else part.partition("=")
        key = parse_topic(name)
        if key is None:
            raise ValueError(f"unknown topic \"{name.strip()}\".")
        if key in topics:
            raise ValueError(f"{TOPICS[key]} is given twice.")
        if not amount_text.strip():
            if len(parts) > 1 or total is None:
                raise ValueError(f"give the hours for {TOPICS[key]}, like \"{key}:2\".")
            topics[key] = total
            continue
        amount = parse_amount(amount_text)
        topics[key] = to_hours(amount, unit)
    return topics


def match_licenses(text: str, licenses: list[tuple[int, list[str]]]) -> list[int]:
    """License ids named in a cell ("LPC, Texas BHEC; LMFT"); each name must match one license."""
    ids: list[int] = []
    for name in (n.strip() for n in text.split(";")):
        if not name:
            continue
        wanted = " ".join(name.casefold().split())
        found = [lid for lid, names in licenses if wanted in names]
        if len(found) != 1:
            raise ValueError(f"no single license called \"{name}\"." if not found
                             else f"\"{name}\" fits more than one license; use the full name.")
        if found[0] not in ids:
            ids.append(found[0])
    return ids


LABELS = {t.key: t.label for t in TARGETS} | {"hours": "Hours"}


def check_row(line: int, cells: list[str], mapping: dict[str, int | None], *, default_format: str,
              licenses: list[tuple[int, list[str]]], today: date) -> PreviewRow:
    """One row as an activity, or the reasons it cannot be one (each prefixed by its field)."""
    values = {key: (cells[index] if index is not None and index < len(cells) else "")
              for key, index in mapping.items()}
    result = PreviewRow(line=line, data=None, cells=values)
    errors: dict[str, str] = {}

    def parsed(key: str, parse):
        try:
            return parse(values.get(key, ""))
        except ValueError as exc:
            errors[key] = str(exc)
            return None

    started_on = parsed("started_on", parse_date)
    completed_on = parsed("completed_on", parse_date)
    unit, amount_key = ("hours", "hours") if values.get("hours") or not values.get("ceus") else ("ceus", "ceus")
    amount = parsed(amount_key, parse_amount)
    hours = to_hours(amount, unit) if amount is not None else None
    if amount_key not in errors and hours_problem(hours, unit):
        errors["hours"] = hours_problem(hours, unit)
    format_text = values.get("format", "")
    format_key = parse_format(format_text) if format_text else (default_format or None)
    if format_key is None:
        errors["format"] = (f"\"{format_text}\" is not a format we know: use in person, live online or self-study."
                            if format_text else "Give the format, or choose one for rows without it.")
    topics = parsed("topics", lambda text: parse_topics(text, unit, hours) if text else {}) or {}
    license_ids = parsed("licenses", lambda text: match_licenses(text, licenses) if text else None)
    data = ActivityData(
        title=values.get("title", ""), completed_on=completed_on, hours=hours, format=format_key or "",
        started_on=started_on, provider=values.get("provider"), approval_body=values.get("approval_body"),
        approval_number=values.get("approval_number"), topics=topics, notes=values.get("notes"),
        license_ids=license_ids)
    for key, message in problems(data, today).items():
        if key not in errors and not (key == "hours" and amount_key in errors):
            errors[key] = message
    if errors:
        result.errors = [f"{LABELS.get(key, key.replace('_', ' ').capitalize())}: {message}"
                         for key, message in errors.items()]
    else:
        result.data = data
    return result


def duplicate_key(title: str, completed_on: date, hours: Decimal) -> tuple[str, date, Decimal]:
    return (" ".join(title.casefold().split()), completed_on, Decimal(hours).quantize(Decimal("0.01")))


def check_upload(upload: Upload, mapping: dict[str, int | None], *, default_format: str,
                 licenses: list[tuple[int, list[str]]], existing: set, today: date) -> list[PreviewRow]:
    """Every row checked; a row that repeats an activity already logged (or an earlier row) is refused."""
    seen = set(existing)
    checked = []
    for number, cells in zip(upload.lines, upload.rows, strict=True):
        row = check_row(number, cells, mapping, default_format=default_format, licenses=licenses, today=today)
        if row.data is not None:
            key = duplicate_key(row.data.title, row.data.completed_on, row.data.hours)
            if key in seen:
                row.errors = ["Already logged: an activity with this title, date and hours exists."]
                row.data = None
            else:
                seen.add(key)
        checked.append(row)
    return checked
