"""Helpers for the reading tests: corpus certificates, a PDF of one, the form as a browser would send it."""
from __future__ import annotations

import functools
import html
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

from rq import SimpleWorker

from app.extensions import QUEUE_NAMES, queue

# Two certificates of the shared corpus (../shared/corpus), copied here so a clean clone has them.
CORPUS = Path(__file__).resolve().parent / "certificates"


def corpus(number: int) -> tuple[str, dict]:
    """The certificate text and its expected fields (01 and 02 of the shared corpus)."""
    stem = CORPUS / f"{number:02d}"
    return (stem.with_suffix(".txt").read_text(), json.loads(stem.with_suffix(".json").read_text()))


@functools.lru_cache(maxsize=8)
def certificate_pdf(text: str) -> bytes:
    """A PDF certificate with a text layer, rendered by WeasyPrint from the plain text."""
    from weasyprint import HTML
    body = "".join(f"<p>{html.escape(line) or '&nbsp;'}</p>" for line in text.splitlines())
    page = ("<html><head><style>@page { size: letter landscape; margin: 1in } "
            "p { margin: 0; font: 11pt DejaVu Sans, sans-serif; white-space: pre-wrap }</style></head>"
            f"<body>{body}</body></html>")
    return HTML(string=page).write_pdf()


def scanned_pdf() -> bytes:
    """A PDF whose page is only a picture: no text layer, as a scanner makes."""
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (850, 1100), (250, 250, 245)).save(out, "PDF")
    return out.getvalue()


def reading_id(response) -> str:
    location = response.headers.get("Location") or response.headers.get("HX-Redirect")
    match = re.search(r"/read/([\w-]+)$", location or "")
    assert match, location
    return match.group(1)


def run_jobs_in(app) -> None:
    """Runs the queued jobs with a real RQ worker inside `app` (so its settings apply)."""
    with app.app_context():
        SimpleWorker([queue(name) for name in QUEUE_NAMES], connection=app.extensions["redis"]).work(burst=True)


class _FormReader(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.values = form_id, False, []
        self._textarea = self._select = None
        self._option = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button"):
                self.values.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea":
            self._textarea = [a["name"], ""]
        elif tag == "select":
            self._select = [a["name"], None, None]
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select[2] is None:
                self._select[2] = value
            if "selected" in a:
                self._select[1] = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            self.values.append((self._textarea[0], self._textarea[1].removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            name, chosen, first = self._select
            self.values.append((name, chosen if chosen is not None else first))
            self._select = None


def form_values(page: str, form_id: str) -> dict[str, str | list[str]]:
    """The fields of one form as a browser would submit them untouched (lists for repeated names)."""
    reader = _FormReader(form_id)
    reader.feed(page)
    values: dict[str, str | list[str]] = {}
    for name, value in reader.values:
        if name in values:
            previous = values[name]
            values[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            values[name] = value
    return values


def upload_certificate(client, data: bytes, name: str = "certificate.pdf") -> int:
    """Uploads through the real form; returns the new certificate's id (verified once its job ran)."""
    response = client.post_form("/certificates/new", {"file": (io.BytesIO(data), name, "application/octet-stream")})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
