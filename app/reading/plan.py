"""Who reads a certificate and what leaves the server: decided the same way for the page and the job.

The review page shows this plan before anything is sent, and the job decides again from the
same inputs just before sending, so a setting or the daily count changed in between can only
make it send less, never more than the user was shown.
"""
from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field

from app.parsing.ai import IMAGE_MEDIA_TYPES, PDF_MEDIA_TYPE
from app.parsing.ai import _has_words as has_words  # the AI reader's own "is there text?" rule
from app.parsing.phi import Flag, find_client_information

log = logging.getLogger(__name__)

MAX_PDF_PAGES = 10  # certificates are one or two pages; a long PDF is not read to the end
SENDABLE_FILES = frozenset((PDF_MEDIA_TYPE, *IMAGE_MEDIA_TYPES))

NO_KEY = "No AI service is set up here."
UNSENDABLE = "This kind of file cannot be sent to the AI service."


def limit_reached(per_day: int) -> str:
    return f"You have used today's {per_day} AI reads. AI reads start again tomorrow."


@dataclass
class Plan:
    """reader: "ai" or "local"; sends: "text", "file" or None (what goes to Anthropic)."""

    reader: str
    model: str | None = None
    sends: str | None = None
    reason: str | None = None
    flags: list[Flag] = field(default_factory=list)
    readable: bool = True

    @property
    def needs_confirmation(self) -> bool:
        """Flagged text, or a file we cannot screen, is sent only after the user says so."""
        return self.reader == "ai" and (bool(self.flags) or self.sends == "file")


def decide(text: str, *, media_type: str | None, has_file: bool, api_key: str | None, model: str,
           reads_left: int, per_day: int) -> Plan:
    """The plan for this text (and the certificate file, when there is one)."""
    text_readable = has_words(text or "")
    if not api_key:
        return Plan("local", reason=NO_KEY, readable=text_readable)
    if reads_left <= 0:
        return Plan("local", reason=limit_reached(per_day), readable=text_readable)
    if text_readable:
        return Plan("ai", model=model, sends="text", flags=find_client_information(text))
    if has_file and (media_type or "").lower() in SENDABLE_FILES:
        return Plan("ai", model=model, sends="file")
    return Plan("local", reason=UNSENDABLE if has_file else None, readable=False)


def pdf_text(data: bytes) -> str:
    """The PDF's text layer (first pages only); empty for a scan or a file pypdf cannot open."""
    from pypdf import PdfReader
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages[:MAX_PDF_PAGES]]
    except Exception:  # a damaged or encrypted PDF is read as a scan: by the AI, or typed by the user
        log.info("could not extract text from a PDF certificate", exc_info=True)
        return ""
    return "\n".join(pages).strip()
