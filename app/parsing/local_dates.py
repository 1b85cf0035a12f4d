"""Find the completion date among all the dates a certificate prints.

Certificates carry several dates: the course date, but also issue, print,
generation, expiry, approval-period, birth and "reported" dates. Every date is
found with the words just before it (its label); labels sort dates into
completion cues, neutral, and distractors. The latest date with the best label
wins, and a range counts as its last day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MON = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
        r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_ORD = r"(?:st|nd|rd|th)?"
_RANGE_JOIN = r"\s*(?:-|to|through|thru|and|&)\s*"
_PATTERNS = [
    # March 3, 2025 / Dec. 5 2024 / June 9-11, 2025 / June 30 - July 2, 2025
    re.compile(rf"\b(?P<mon>{_MON})\s+(?P<d1>\d{{1,2}}){_ORD}(?:{_RANGE_JOIN}(?:(?P<mon2>{_MON})\s+)?"
               rf"(?P<d2>\d{{1,2}}){_ORD})?,?\s+(?P<y>\d{{4}})\b", re.IGNORECASE),
    # 27 September 2024 / 21st day of February, 2025 / 9-11 June 2025
    re.compile(rf"\b(?P<d1>\d{{1,2}}){_ORD}(?:{_RANGE_JOIN}(?P<d2>\d{{1,2}}){_ORD})?\s+(?:day\s+of\s+)?"
               rf"(?P<mon>{_MON}),?\s+(?P<y>\d{{4}})\b", re.IGNORECASE),
    # 2025-04-11, optionally a timestamp 2025-04-11T10:00:00Z
    re.compile(r"(?<![\w./-])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?P<time>T[\d:.]+Z?)?(?![\w/-]|\.\d)"),
    # 2025/03/14
    re.compile(r"(?<![\w./-])(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?![\w/-]|\.\d)"),
    # US month/day/year: 3/14/2025, 03/14/25, 3-14-2025, 3.14.2025
    re.compile(r"(?<![\w./-])(?P<m>\d{1,2})(?P<sep>/)(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})(?![\w/-]|\.\d)"),
    re.compile(r"(?<![\w./-])(?P<m>\d{1,2})(?P<sep>[.-])(?P<d>\d{1,2})(?P=sep)(?P<y>\d{4})(?![\w/-]|\.\d)"),
]

_DISTRACTOR = re.compile(
    r"issu|print|generat|expir|valid|release|approv|period|birth|\bdob\b|\bborn\b|report|submit"
    r"|upload|order|purchas|paid|invoice|receipt|regist|enrol|renew|revis|effective|updated|posted"
    r"|accredit|deadline|\bdue\b|member\s+since|©|copyright",
    re.IGNORECASE,
)
_COMPLETION = re.compile(
    r"complet|attend|particip|\bheld\b|given|presented|conducted|took\s+place|\bday\s+of\b|\bon\s+this\b"
    r"|date(?:\(s\)|s)?\s+of\s+(?:the\s+)?(?!issue|birth|print)\w+"
    r"|(?:program|course|event|activity|training|workshop|webinar|session|presentation|conference"
    r"|seminar|class|module)\s+dates?",
    re.IGNORECASE,
)
_RANGE_GAP = re.compile(r"^\s*(?:-|to|through|thru|until)\s*$", re.IGNORECASE)
_SEGMENT_BREAK = re.compile(r"\s{3,}|\s\|\s|\s•\s|;")


@dataclass
class DateMention:
    """One printed date (or the last day of a printed range) with its label."""

    start: int
    end: int
    value: date
    label: str
    timestamp: bool = False
    range_start: date | None = None

    @property
    def tier(self) -> int:
        """2 = labelled as the completion date, 1 = neutral, -1 = some other date.

        The cue nearest the date decides: "approved ... held on" is a course date."""
        if self.timestamp:
            return -1
        other = max((m.end() for m in _DISTRACTOR.finditer(self.label)), default=-1)
        done = max((m.end() for m in _COMPLETION.finditer(self.label)), default=-1)
        if other < 0 and done < 0:
            return 1
        return 2 if done > other else -1


def _year(raw: str) -> int:
    return 2000 + int(raw) if len(raw) == 2 else int(raw)


def _month(raw: str) -> int:
    return _MONTHS[raw.lower().rstrip(".")[:3]]


def _build(match: re.Match[str]) -> tuple[date, date | None] | None:
    groups = match.groupdict()
    try:
        year = _year(groups["y"])
        if groups.get("mon"):
            month = _month(groups["mon"])
            first = date(year, month, int(groups["d1"]))
            if not groups.get("d2"):
                return first, None
            end_month = _month(groups["mon2"]) if groups.get("mon2") else month
            last = date(year, end_month, int(groups["d2"]))
            return (last, first) if last >= first else (first, None)
        return date(year, int(groups["m"]), int(groups["d"])), None
    except ValueError:
        return None


def _label_before(text: str, start: int, previous_end: int) -> str:
    """The words that label a date: its line (after any earlier date or field), plus
    the end of the line above when the date starts a line or has a one-word label."""
    line_start = text.rfind("\n", 0, start) + 1
    segment = text[max(line_start, previous_end):start]
    parts = _SEGMENT_BREAK.split(segment.rstrip())
    label = parts[-1] if parts else ""
    has_cue = _DISTRACTOR.search(label) or _COMPLETION.search(label)
    if not has_cue and len(re.findall(r"[A-Za-z]+", label)) < 3 and line_start > max(previous_end, 0):
        above_start = text.rfind("\n", 0, line_start - 1) + 1
        above = text[max(above_start, previous_end):line_start - 1]
        label = _SEGMENT_BREAK.split(above.rstrip())[-1] + " " + label
    return label


def find_dates(text: str) -> list[DateMention]:
    """Every date in reading order; ranges merged into one mention ending on their last day."""
    spans: list[tuple[int, int, re.Match[str]]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            spans.append((match.start(), match.end(), match))
    spans.sort(key=lambda item: (item[0], -(item[1] - item[0])))
    mentions: list[DateMention] = []
    last_end = 0
    for start, end, match in spans:
        if start < last_end:
            continue
        built = _build(match)
        if built is None:
            continue
        value, range_start = built
        previous_end = mentions[-1].end if mentions else 0
        gap = text[previous_end:start]
        if mentions and _RANGE_GAP.match(gap) and value >= mentions[-1].value:
            first = mentions[-1]
            first.range_start = first.range_start or first.value
            first.value, first.end = value, end
            last_end = end
            continue
        mentions.append(DateMention(
            start=start, end=end, value=value, range_start=range_start,
            label=_label_before(text, start, previous_end),
            timestamp=bool(match.groupdict().get("time")),
        ))
        last_end = end
    return mentions


def completion_date(text: str, today: date | None = None) -> tuple[date | None, float]:
    """The completion date and a confidence; None when every date is a distractor."""
    candidates = [m for m in find_dates(text) if m.tier > 0]
    if today is not None:
        past = [m for m in candidates if m.value <= today]
        candidates = past or candidates
    if not candidates:
        return None, 0.0
    best_tier = max(m.tier for m in candidates)
    chosen = max((m for m in candidates if m.tier == best_tier), key=lambda m: m.value)
    return chosen.value, 0.9 if best_tier == 2 else 0.6
