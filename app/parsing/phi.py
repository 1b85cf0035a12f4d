"""Spot client information in certificate text before it leaves for an AI provider.

The privacy policy promises that the app holds no protected health information.
A certificate never needs a client's name, birth date, diagnosis or social
security number, so text that seems to contain one is flagged and the user
decides before anything is sent. The patterns stay narrow so ordinary
certificate text (licence numbers, UANs, course titles) is not flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

FlagKind = Literal["client_name", "date_of_birth", "diagnosis_code", "ssn"]

EXPLANATIONS: dict[str, str] = {
    "client_name": "This looks like a client's or patient's name. Certificates never need one; "
                   "remove it before the certificate is read by the AI service.",
    "date_of_birth": "This looks like a date of birth. Remove it before the certificate is read "
                     "by the AI service.",
    "diagnosis_code": "This looks like a diagnosis code (ICD-10). Remove client health information "
                      "before the certificate is read by the AI service.",
    "ssn": "This looks like a social security number. Remove it before the certificate is read "
           "by the AI service.",
}

# Words that follow "client"/"patient" in course titles and prose, not names.
_NOT_A_NAME = frozenset((
    "care", "centered", "centred", "safety", "education", "engagement", "outcomes", "records", "record",
    "rights", "confidentiality", "information", "population", "populations", "assessment", "advocacy",
    "services", "service", "experience", "satisfaction", "communication", "relations", "relationship",
    "management", "privacy", "consent", "welfare", "needs", "focused", "directed", "handouts", "files",
    "first", "and", "or", "the", "a", "an", "with", "in", "of", "for", "to", "who", "whose", "that",
))
_WORD = r"[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?"
_NAME = (rf"(?P<name>(?:(?:Mr|Mrs|Ms|Mx|Dr)\.?\s+)?{_WORD}(?:\s+[A-Z]\.)?"
         rf"(?:(?:\s+(?:de|del|della|da|di|du|la|le|van|von|der))*\s+{_WORD}){{0,2}})")
_CLIENT_LABEL = re.compile(r"\b(?i:client|patient|consumer)(?:'s)?(?:\s+(?i:full\s+)?(?i:name))?\s*:\s*" + _NAME)
_CLIENT_MENTION = re.compile(r"\b(?:client|patient)(?:'s)?\s+" + _NAME)
_DOB = re.compile(
    r"\b(?:DOB|D\.O\.B\.?|date\s+of\s+birth|birth\s*date|born(?:\s+on)?)\s*[:#-]?\s*"
    r"(?P<date>\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}"
    r"|\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+\d{4})",
    re.IGNORECASE)
_ICD10 = re.compile(r"(?<![\w.-])[A-TV-Z]\d[0-9AB]\.[0-9A-TV-Z]{1,4}(?![\w-]|\.\d)")
_ICD10_LABELLED = re.compile(
    r"\b(?:diagnosis|diagnoses|dx|ICD(?:-?10)?(?:-CM)?)(?:\s+codes?)?\s*[:#]?\s*"
    r"(?P<code>[A-TV-Z]\d[0-9AB](?:\.[0-9A-TV-Z]{1,4})?)(?![\w-])", re.IGNORECASE)
_SSN = re.compile(r"(?<![\d-])(?!000|666|9\d\d)\d{3}(?P<sep>[- ])(?!00)\d{2}(?P=sep)(?!0000)\d{4}(?![\d-])")
_SSN_LABELLED = re.compile(r"\b(?:SSN|social\s+security(?:\s+(?:number|no\.?|#))?)\s*[:#]?\s*"
                           r"(?P<number>\d{9})(?!\d)", re.IGNORECASE)


@dataclass(frozen=True)
class Flag:
    """One stretch of text that looks like client information, with why it matters."""

    kind: FlagKind
    text: str
    start: int
    end: int
    explanation: str


def _name_flag(match: re.Match[str]) -> Flag | None:
    name = match.group("name")
    words = [w.rstrip(".").lower() for w in name.split()]
    if words[0] in {"mr", "mrs", "ms", "mx", "dr"}:
        words = words[1:]
    if not words or words[0] in _NOT_A_NAME:
        return None
    return Flag("client_name", name, match.start("name"), match.end("name"), EXPLANATIONS["client_name"])


def find_client_information(text: str) -> list[Flag]:
    """Every stretch that looks like a client's name, birth date, diagnosis code or SSN, in order."""
    flags: list[Flag] = []
    for pattern in (_CLIENT_LABEL, _CLIENT_MENTION):
        for match in pattern.finditer(text):
            flag = _name_flag(match)
            if flag:
                flags.append(flag)
    for match in _DOB.finditer(text):
        flags.append(Flag("date_of_birth", match.group(0), match.start(), match.end(),
                          EXPLANATIONS["date_of_birth"]))
    for match in _ICD10.finditer(text):
        flags.append(Flag("diagnosis_code", match.group(0), match.start(), match.end(),
                          EXPLANATIONS["diagnosis_code"]))
    for match in _ICD10_LABELLED.finditer(text):
        flags.append(Flag("diagnosis_code", match.group("code"), match.start("code"), match.end("code"),
                          EXPLANATIONS["diagnosis_code"]))
    for match in _SSN.finditer(text):
        flags.append(Flag("ssn", match.group(0), match.start(), match.end(), EXPLANATIONS["ssn"]))
    for match in _SSN_LABELLED.finditer(text):
        flags.append(Flag("ssn", match.group("number"), match.start("number"), match.end("number"),
                          EXPLANATIONS["ssn"]))
    unique: dict[tuple[str, int, int], Flag] = {}
    for flag in flags:
        overlapping = [k for k in unique if k[0] == flag.kind and k[1] < flag.end and flag.start < k[2]]
        if not overlapping:
            unique[(flag.kind, flag.start, flag.end)] = flag
    return sorted(unique.values(), key=lambda flag: (flag.start, flag.kind))
