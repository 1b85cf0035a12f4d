"""Find the approval body and the provider's approval number.

Bodies are recognised by the names and abbreviations their approval statements
use; a body only counts inside an approval statement (not in "consult your
licensing board"). The number is the labelled identifier nearest to the body's
statement, never a participant licence number, certificate ID or verification
code printed elsewhere. When several bodies are printed, the line that says
which credit was issued decides.
"""

from __future__ import annotations

import re

_STATE_BOARD = (
    r"Behavioral\s+Health\s+Executive\s+Council|\bBHEC\b|Board\s+of\s+Behavioral\s+Sciences|\bBBS\b"
    r"|\bCAMFT\b|\bCEPA\b|California\s+Association\s+of\s+Marriage|Board\s+of\s+Registered\s+Nursing|\bBRN\b"
    r"|CE\s*Broker|\bNYSED\b|State\s+Education\s+Department|State\s+Board\s+(?:for|of)"
    r"|Board\s+of\s+(?:Nursing|Psychology|Social\s+Work|Clinical\s+Social\s+Work|Counsel\w*|Examiners"
    r"|Professional\s+Counselors|Marriage|Licensed\s+Professional)"
    r"|(?:Counselor|Social\s+Worker|Therapist|Nursing|Psychology|Counseling)s?\s+Board\b|\bCSWMFT\b"
    r"|\bIDFPR\b|Department\s+of\s+Financial\s+and\s+Professional\s+Regulation"
    r"|Behavioral\s+Sciences\s+Regulatory\s+Board|\bBSRB\b|\bKBN\b"
)
BODY_CUES: list[tuple[str, re.Pattern[str]]] = [
    ("ACPE", re.compile(r"Accreditation\s+Council\s+for\s+Pharmacy\s+Education|\bACPE\b", re.IGNORECASE)),
    ("ANCC", re.compile(r"American\s+Nurses\s+Credentialing\s+Center|\bANCC\b", re.IGNORECASE)),
    ("ASWB", re.compile(r"Association\s+of\s+Social\s+Work\s+Boards|\bASWB\b", re.IGNORECASE)),
    ("NBCC", re.compile(r"National\s+Board\s+for\s+Certified\s+Counselors|\bNBCC\b|\bACEP\b")),
    ("APA", re.compile(r"American\s+Psychological\s+Association|\bAPA\b")),
    ("state board", re.compile(_STATE_BOARD, re.IGNORECASE)),
]
_APPROVAL_CONTEXT = re.compile(
    r"approv|accredit|recogni[sz]|sponsor|provider|\bACEP\b|\bCEP\b|tracking|meets\s+the\s+qualifications"
    r"|credit\s+type|ACE\b", re.IGNORECASE)
_CREDIT_CHOICE = re.compile(
    r"^.*\b(?:credit\s+type|type\s+of\s+credit|credits?\s+(?:awarded|issued|earned)\s+(?:under|through|by|for)"
    r"|credit\s+(?:designation|issued)|selected)\b.*$", re.IGNORECASE | re.MULTILINE)
_PROFESSIONS = [
    ("ASWB", re.compile(r"social\s+work", re.IGNORECASE)), ("NBCC", re.compile(r"counsel", re.IGNORECASE)),
    ("APA", re.compile(r"psycholog", re.IGNORECASE)), ("ACPE", re.compile(r"pharmac", re.IGNORECASE)),
    ("ANCC", re.compile(r"nurs", re.IGNORECASE)),
]
_CREDENTIALS = [
    ("ASWB", re.compile(r"\b(?:LCSW|LMSW|LICSW|LSW|LISW|LCSW-C|MSW|LGSW|LBSW|CSW)\b")),
    ("NBCC", re.compile(r"\b(?:LPC|LPCC|LMHC|NCC|LCPC|LPC-S|LCMHC|LPCA|LMHCA)\b")),
    ("APA", re.compile(r"\b(?:PhD|PsyD|Psy\.D\.|Ph\.D\.)\b")),
    ("ACPE", re.compile(r"\b(?:PharmD|RPh|Pharm\.D\.)\b")),
    ("ANCC", re.compile(r"\b(?:RN|APRN|NP|LPN|BSN|MSN|DNP|CNS)\b")),
]
_UAN = re.compile(r"\b\d{4}-\d{4}-\d{2}-\d{3}-[A-Z]\d{2}-[A-Z]\b")
_ID = r"(?P<id>(?:[A-Z]{2,5} (?=\d))?[A-Z0-9]+(?:[.-][A-Z0-9]+)*)"
_LABELLED_ID = re.compile(
    r"(?i:(?:\b(?:ACEP|CEPA|CEP|provider|sponsor|approval|license|licence|registration)\s*)+"
    r"(?:No\.?|Number|#|ID)?\s*[:#]?\s*|#\s*)" + _ID)
_ACEP = re.compile(r"\bACEP\s*(?:No\.?|Number|#)?\s*[:#]?\s*(?P<id>\d[\d-]*\d|\d)")
_FLORIDA = re.compile(r"Florida|CE\s*Broker", re.IGNORECASE)
_FLORIDA_PROVIDER = re.compile(r"(?i:provider|board)\s*(?:#|No\.?|number)?\s*:?\s*(?P<id>50-\d{3,})")
_FLORIDA_TRACKING = re.compile(r"(?i:tracking|course)\s*(?:#|No\.?|number)?\s*:?\s*(?P<id>20-\d{3,})")
_BACKWARD = 140
_FORWARD = 260


def _statement_hits(text: str, blocks: list[tuple[int, int]]) -> list[tuple[str, int, int, int, int]]:
    """(body, cue start, cue end, block start, block end) for every cue inside an approval context."""
    hits = []
    for body, pattern in BODY_CUES:
        for match in pattern.finditer(text):
            block = next(((s, e) for s, e in blocks if s <= match.start() < e), (0, len(text)))
            if _APPROVAL_CONTEXT.search(text, block[0], block[1]):
                hits.append((body, match.start(), match.end(), *block))
    return sorted(hits, key=lambda hit: hit[1])


def _char_blocks(text: str, line_blocks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    offsets = [0]
    for line in text.split("\n"):
        offsets.append(offsets[-1] + len(line) + 1)
    return [(offsets[first], offsets[last]) for first, last in line_blocks]


def _choose_body(text: str, bodies: list[str]) -> str:
    """With several approvals, prefer the one the credit line names, then the learner's credentials."""
    for line in _CREDIT_CHOICE.findall(text):
        named = [body for body, pattern in BODY_CUES if body in bodies and pattern.search(line)]
        named = named or [body for body, pattern in _PROFESSIONS if body in bodies and pattern.search(line)]
        if len(set(named)) == 1:
            return named[0]
    for line in re.findall(r"^.*\b\d+(?:\.\d+)?\s+[A-Z]{3,4}\s+(?:clock|contact|CE)\b.*$", text, re.MULTILINE):
        named = [body for body, pattern in BODY_CUES if body in bodies and pattern.search(line)]
        if len(set(named)) == 1:
            return named[0]
    head = "\n".join(text.split("\n")[:15])
    for body, pattern in _CREDENTIALS:
        if body in bodies and pattern.search(head):
            return body
    return bodies[0]


def _clean_id(value: str) -> str | None:
    value = value.strip().rstrip(".-")
    return value if re.search(r"\d", value) else None


def _nearest_number(text: str, hits: list[tuple[str, int, int, int, int]]) -> str | None:
    best: tuple[int, str] | None = None
    for _, start, end, block_start, block_end in hits:
        low, high = max(block_start, start - _BACKWARD), min(block_end, end + _FORWARD)
        for match in _LABELLED_ID.finditer(text, low, high):
            number = _clean_id(match.group("id"))
            if number is None or re.fullmatch(r"\d{1,2}/\d{1,2}/\d{2,4}", number):
                continue
            distance = match.start() - end if match.start() >= end else (start - match.end()) * 2
            if best is None or distance < best[0]:
                best = (distance, number)
    return best[1] if best else None


def find_approval(text: str, line_blocks: list[tuple[int, int]]) -> tuple[str | None, str | None, float]:
    """(body, number, confidence). IACET-only and in-house certificates give (None, None)."""
    hits = _statement_hits(text, _char_blocks(text, line_blocks))
    bodies = list(dict.fromkeys(hit[0] for hit in hits))
    if not bodies:
        return None, None, 0.5
    body = bodies[0] if len(bodies) == 1 else _choose_body(text, bodies)
    confidence = 0.9 if len(bodies) == 1 else 0.6
    if body in ("APA", "ANCC"):
        return body, None, confidence
    if body == "ACPE":
        uan = _UAN.search(text)
        return body, uan.group(0) if uan else None, confidence
    if body == "NBCC":
        acep = _ACEP.search(text)
        if acep:
            return body, acep.group("id"), confidence
    if body == "state board" and _FLORIDA.search(text):
        florida = _FLORIDA_PROVIDER.search(text) or _FLORIDA_TRACKING.search(text)
        if florida:
            return body, florida.group("id"), confidence
    return body, _nearest_number(text, [hit for hit in hits if hit[0] == body]), confidence
