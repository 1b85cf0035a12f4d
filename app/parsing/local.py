"""The local, rule-based certificate reader used when no AI key is set (or the AI fails).

It reads only general cues that any CE certificate prints (labels, approval
statements, credit units, date labels), so it behaves the same on certificates
it has never seen. Everything it returns is a draft for the user to confirm.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from .local_approval import find_approval
from .local_credits import categories, total_hours
from .local_dates import completion_date
from .local_names import find_participant, find_provider, find_title
from .local_text import clean
from .schema import Approval, CategoryCredit, Draft, Extraction

_NOT_CERTIFICATE = [
    re.compile(p, re.IGNORECASE | re.MULTILINE) for p in (
        r"^\s*(?:receipt|invoice|order\s+confirmation|registration\s+confirm\w*)\b",
        r"\border\s*(?:#|no\.?|number)", r"\bsubtotal\b", r"\btotal\s+(?:paid|due|amount)\b",
        r"\bpaid\s+with\b|\bpayment\s+(?:method|received)\b|\bcard\s+ending\b|\bvisa\b|\bmastercard\b",
        r"\bwill\s+be\s+issued\b|\bonce\s+you\s+(?:pass|complete|attend)\b",
        r"\bthank\s+you\s+for\s+(?:registering|your\s+(?:order|purchase|registration))\b",
        r"\byou(?:'re|\s+are)\s+registered\b|\byour\s+registration\b|\bjoin\s+(?:link|the\s+webinar)\b",
        r"\badd\s+to\s+(?:your\s+)?calendar\b|\bsales\s+tax\b|\bqty\b",
    )
]
_IS_CERTIFICATE = [
    re.compile(p, re.IGNORECASE | re.MULTILINE) for p in (
        r"^\s*certificate\b|^\s*(?:statement|record)\s+of\s+(?:credit|completion|attendance|continuing)",
        r"\bcertif(?:y|ies)\s+that\b|\bbe\s+it\s+known\b",
        r"\bhas\s+(?:successfully\s+)?(?:completed|attended|participated)\b",
        r"\b(?:awarded|earned)\b(?!.*\bwill\b)",
        r"^\s*(?:date\s+)?completed\b|\bcompletion\s+date\b|\bdate\s+of\s+completion\b",
    )
]

_FORMAT_CUES: list[tuple[str, int, re.Pattern[str]]] = [
    (fmt, weight, re.compile(pattern, re.IGNORECASE | re.MULTILINE)) for fmt, weight, pattern in (
        ("self_study", 3, (r"\bhome[\s-]?study\b|\bself[\s-]?(?:paced|study|directed)\b|\bon[\s-]?demand\b"
                          r"|\brecorded\s+(?:webinar|session|course|presentation|video)|\benduring\s+material"
                          r"|\basynchronous\b|\barchived\s+(?:webinar|session)|\bcorrespondence\s+course"
                          r"|\bindependent\s+study\b|\bjournal[\s-]based\b|\bpodcast\b")),
        ("self_study", 1, (r"\bonline\s+(?:course|module|training|program)\b|\be-?learning\b"
                          r"|\bweb-based\s+course")),
        ("live_online", 3, (r"\blive\s+(?:online|webinar|virtual|stream|interactive\s+webinar)|\bwebinar\b"
                           r"|\bsynchronous\b|\bvirtual\s+(?:session|workshop|training|event|conference|live)"
                           r"|\breal[\s-]time\b|\bvideo\s*conferenc|\bzoom\b|\bteleconference\b|\blivestream"
                           r"|\bremote\s+live\b|\bvirtually\b")),
        ("live", 3, (r"\bin[\s-]person\b|\bon[\s-]site\b|\bface[\s-]to[\s-]face\b|\bclassroom\b"
                    r"|\bgrand\s+rounds\b|\bconference\s+(?:hotel|center|centre)\b|\bauditorium\b"
                    r"|\bheld\b[^.\n]{0,60}\bat\s+(?:the\s+)?[A-Z]|\btraining\s+(?:room|facility|center)\b")),
        ("live", 2, (r"^\s*(?:location|venue|site)\s*:\s*(?!.*\b(?:online|virtual|web|zoom|home)).*[A-Za-z]{3}"
                    r"|\bconvention\s+(?:center|centre)\b|\b\d{4}-\d{4}-\d{2}-\d{3}-L\d{2}-[A-Z]\b")),
        ("self_study", 2, r"\b\d{4}-\d{4}-\d{2}-\d{3}-[HE]\d{2}-[A-Z]\b"),
        ("live", 1, (r"\bworkshop\b|\bconference\b|\bsymposium\b|\bseminar\b"
                    r"|^\s*(?:format|type|delivery)[^:\n]*:\s*live\b")),
    )
]


def _looks_like_certificate(text: str) -> bool:
    against = sum(1 for p in _NOT_CERTIFICATE if p.search(text))
    for_it = sum(1 for p in _IS_CERTIFICATE if p.search(text))
    return not (against >= 2 and against > for_it)


def _format(text: str) -> tuple[str | None, float]:
    """Consume self-study phrases first so 'recorded webinar' never reads as a live webinar."""
    scores = {"self_study": 0, "live_online": 0, "live": 0}
    remaining = text
    for fmt, weight, pattern in _FORMAT_CUES:
        hits = pattern.findall(remaining)
        scores[fmt] += weight * len(hits)
        remaining = pattern.sub(" ", remaining)
    best = max(scores, key=lambda fmt: scores[fmt])
    if scores[best] == 0:
        return None, 0.0
    return best, 0.8 if scores[best] >= 3 else 0.5


def parse_text(text: str, today: date | None = None) -> Draft:
    """Read certificate text with the local rules; never raises on odd input."""
    today = today or date.today()
    cleaned = clean(text or "")
    lines, body = cleaned.lines, cleaned.text
    warnings = list(cleaned.warnings)
    if not re.search(r"[A-Za-z]{3}", body):
        warnings.append("The certificate had no readable text; please fill in the fields yourself.")
        return Draft(parser="local", warnings=warnings)
    if not _looks_like_certificate(body):
        warnings.append("This looks like a receipt or registration e-mail, not a CE certificate, "
                        "so no fields were filled in.")
        return Draft(extraction=Extraction(is_certificate=False, confidence={"is_certificate": 0.8}),
                     parser="local", warnings=warnings)

    blocks = cleaned.blocks()
    confidence: dict[str, float] = {"is_certificate": 0.8}
    provider, confidence["provider"] = find_provider(lines, blocks)
    participant, confidence["participant"] = find_participant(lines, {provider or ""})
    title, confidence["title"] = find_title(lines, {provider or "", participant or ""})
    completed_on, confidence["completed_on"] = completion_date(body, today)
    hours, confidence["hours"] = total_hours(body)
    fmt, confidence["format"] = _format(body)
    body_name, number, confidence["approval_body"] = find_approval(body, blocks)
    confidence["approval_number"] = confidence["approval_body"] if number else 0.5
    topic_hours = categories(body, hours)
    confidence["categories"] = 0.7

    if completed_on is None:
        warnings.append("No completion date was found; please enter it.")
    if hours is None:
        warnings.append("No credit hours were found; please enter them if the certificate awards credit.")
    extraction = Extraction(
        is_certificate=True,
        title=title,
        provider=provider,
        completed_on=completed_on,
        hours=hours.quantize(Decimal("0.01")) if hours is not None else None,
        format=fmt,
        categories=[CategoryCredit(name=name, hours=h.quantize(Decimal("0.01"))) for name, h in topic_hours],
        approval=Approval(body=body_name, number=number),
        participant=participant,
        confidence={k: v for k, v in confidence.items() if v > 0},
    )
    return Draft(extraction=extraction, parser="local", warnings=warnings)
