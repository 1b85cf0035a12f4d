"""Client-information flags raised before certificate text is sent to an AI provider."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.parsing.phi import EXPLANATIONS, find_client_information

# A copy of ../shared/corpus (the evaluation certificates and their README), so CI has it too.
CORPUS = Path(__file__).resolve().parent / "corpus"


def kinds(text: str) -> list[tuple[str, str]]:
    return [(flag.kind, flag.text) for flag in find_client_information(text)]


def test_flags_carry_kind_text_position_and_explanation() -> None:
    text = "Progress note for client John Smith, DOB 04/12/1987, dx F32.1; SSN 123-45-6789."
    flags = find_client_information(text)
    assert [(f.kind, f.text) for f in flags] == [
        ("client_name", "John Smith"),
        ("date_of_birth", "DOB 04/12/1987"),
        ("diagnosis_code", "F32.1"),
        ("ssn", "123-45-6789"),
    ]
    for flag in flags:
        assert text[flag.start:flag.end] == flag.text
        assert flag.explanation == EXPLANATIONS[flag.kind]
        assert "AI" in flag.explanation


@pytest.mark.parametrize(("text", "expected"), [
    ("client John Smith", [("client_name", "John Smith")]),
    ("the patient Mr. Alan Poe was seen", [("client_name", "Mr. Alan Poe")]),
    ("Patient: Maria de la Cruz", [("client_name", "Maria de la Cruz")]),
    ("CLIENT NAME: Ana Lopez-Reyes", [("client_name", "Ana Lopez-Reyes")]),
    ("Date of birth: March 3, 1980", [("date_of_birth", "Date of birth: March 3, 1980")]),
    ("D.O.B. 1980-03-03", [("date_of_birth", "D.O.B. 1980-03-03")]),
    ("Diagnoses F41.9 and F43.10", [("diagnosis_code", "F41.9"), ("diagnosis_code", "F43.10")]),
    ("Dx: F32", [("diagnosis_code", "F32")]),
    ("Social security number 123456789", [("ssn", "123456789")]),
    ("ssn 123 45 6789", [("ssn", "123 45 6789")]),
])
def test_client_information_is_flagged(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize("text", [
    "License No.: 12-3456",
    "LPC License #: 0601-011923",
    "Opioid Tapering: Patient-Centered Approaches for Community Pharmacists",
    "Safety Planning Interventions for Suicidal Clients",
    "Client Care Skills for New Clinicians",
    "UAN: 0739-0000-25-014-H08-P",
    "Ohio License No. E.1900457",
    "Call (608) 555-0172 or visit room B12",
    "Birth month/day (MMDD): 0712",
    "Order #: QF-20250311-48817",
    "000-12-3456 and 666-12-3456 are never issued",
])
def test_ordinary_certificate_text_is_not_flagged(text: str) -> None:
    assert kinds(text) == []


def test_no_corpus_certificate_has_ssn_or_diagnosis_flags() -> None:
    for path in sorted(CORPUS.glob("*.txt")):
        flags = find_client_information(path.read_text(encoding="utf-8"))
        assert not [f for f in flags if f.kind in ("ssn", "diagnosis_code")], path.name
