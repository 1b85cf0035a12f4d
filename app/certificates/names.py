"""File names from users: cleaned before they are stored, encoded per RFC 6266 when served.

A stored name is only ever shown (escaped by the templates) and used as the suggested name of a
download; it never reaches the filesystem, whose names are hashes and random ids.
"""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

MAX_NAME = 120
FALLBACK_NAME = "certificate"
UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._() -]+")


def clean_name(raw: str | None) -> str:
    """The last path component, without control or formatting characters, at most 120 characters.

    Drops NUL, CR, LF and every other control character, and the invisible formatting ones
    (right-to-left override U+202E, zero-width joiners...) that can disguise an extension.
    """
    text = unicodedata.normalize("NFC", raw or "")
    text = re.split(r"[/\\]", text)[-1]
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if category.startswith("Z") or ch in "\t\r\n":
            kept.append(" ")
        elif not category.startswith("C"):
            kept.append(ch)
    text = "".join(kept)
    text = re.sub(r"\s+", " ", text).strip().lstrip(".").strip()
    if not text:
        return FALLBACK_NAME
    if len(text) > MAX_NAME:
        stem, dot, extension = text.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            text = stem[:MAX_NAME - len(extension) - 1].rstrip() + "." + extension
        else:
            text = text[:MAX_NAME].rstrip()
    return text


def download_name(stored_name: str, extensions: tuple[str, ...]) -> str:
    """The stored name with an extension that matches the stored type (never the user's own)."""
    name = clean_name(stored_name)
    stem, dot, extension = name.rpartition(".")
    if dot and stem and ("." + extension.lower()) in extensions:
        return f"{stem}.{extension.lower()}"
    base = stem if dot and stem and len(extension) <= 10 else name
    return base[:MAX_NAME] + extensions[0]


def ascii_fallback(name: str) -> str:
    """For old clients: letters, digits and a few safe marks only, so the quoted value cannot break."""
    text = "".join("-" if unicodedata.category(ch) == "Pd" else ch for ch in unicodedata.normalize("NFKD", name))
    text = text.encode("ascii", "ignore").decode("ascii")
    text = re.sub(" +", " ", UNSAFE_ASCII.sub("_", text)).strip(" .")
    return text or FALLBACK_NAME


def content_disposition(name: str, *, inline: bool = False) -> str:
    """`attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266, RFC 8187)."""
    disposition = "inline" if inline else "attachment"
    return f"{disposition}; filename=\"{ascii_fallback(name)}\"; filename*=UTF-8''{quote(name, safe='')}"
