"""What an uploaded file is, decided by its content alone, and whether it is whole.

The file's name and the browser's Content-Type are never consulted. A file is accepted when
its first bytes say PDF, JPEG, PNG or HEIC, nothing in it looks like a web page or script (a
polyglot that a browser could be talked into running), and it really opens: pypdf parses the
PDF and reads every page, Pillow decodes the JPEG or PNG, pillow-heif decodes the HEIC image.

Memory stays modest: the markup scan reads 1 MiB at a time, pypdf reads objects lazily, and a
JPEG is decoded at 1/8 scale (every byte of compressed data is still decoded). PNG and HEIC
have no scaled decoding, so their size in pixels is capped. A PDF's page contents are
decompressed (they are small); its images and embedded files are not.
"""
from __future__ import annotations

import logging
import re
import struct
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged upload would fill the log with warnings

CHUNK_SIZE = 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; a larger image (or a decompression bomb) is refused


@dataclass(frozen=True)
class FileKind:
    media_type: str
    label: str
    extensions: tuple[str, ...]  # the first is the one a download gets

    @property
    def extension(self) -> str:
        return self.extensions[0]


PDF = FileKind("application/pdf", "PDF", (".pdf",))
JPEG = FileKind("image/jpeg", "JPEG", (".jpg", ".jpeg", ".jpe"))
PNG = FileKind("image/png", "PNG", (".png",))
HEIC = FileKind("image/heic", "HEIC", (".heic", ".heif"))
HEIF = FileKind("image/heif", "HEIF", (".heif", ".heic"))
KINDS = {kind.media_type: kind for kind in (PDF, JPEG, PNG, HEIC, HEIF)}

HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis"}
HEIF_BRANDS = {b"mif1", b"msf1"}

# Tags and URLs that make a browser run something. Each is long enough that compressed image
# data matches it by chance about once in 10^5 files of 20 MB.
MARKUP = re.compile(
    rb"<(?:script|html|body|head|iframe|frame|object|embed|meta|form|style|link|base|applet|svg\s+xmlns)[\s/>]"
    rb"|<!doctype\s+html|javascript:|vbscript:|<\?xml-stylesheet",
    re.IGNORECASE)
MARKUP_OVERLAP = 32

NOT_ACCEPTED = ("This file is not a PDF, JPEG, PNG or HEIC file. We look at what is inside the file, "
                "not at its name: save or scan the certificate as a PDF or take a photo of it.")
WEB_PAGE = ("This file holds web-page code (HTML or script), so it is not accepted. "
            "Save the certificate as a PDF (for example with Print, then Save as PDF) and upload that.")


class Refused(Exception):
    """The upload is not accepted; the message says why, in the user's words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def inspect(path: Path) -> FileKind:
    """The kind of the file at path; raises Refused with a message for the user."""
    size = path.stat().st_size
    if size == 0:
        raise Refused("This file is empty. Choose the certificate file again.")
    with open(path, "rb") as stream:
        head = stream.read(4096)
        kind = sniff(head)
        if kind is None:
            raise Refused(WEB_PAGE if MARKUP.search(head) or head.lstrip().startswith(b"<") else NOT_ACCEPTED)
        stream.seek(0)
        if contains_markup(stream):
            raise Refused(WEB_PAGE)
        stream.seek(0)
        CHECKS[kind.label](stream, size)
    return kind


def sniff(head: bytes) -> FileKind | None:
    """The kind named by a file's first bytes (its magic number), or None."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(head) >= 16 and head[4:8] == b"ftyp":
        box_size = struct.unpack(">I", head[:4])[0]
        brands = {head[8:12]} | {head[i:i + 4] for i in range(16, min(box_size, len(head)) - 3, 4)}
        if head[8:12] in HEIC_BRANDS:
            return HEIC
        if head[8:12] in HEIF_BRANDS and brands & HEIC_BRANDS:
            return HEIF
    return None


def contains_markup(stream: BinaryIO) -> bool:
    """True when HTML or script shows up anywhere in the file, chunk by chunk."""
    carry = b""
    while True:
        chunk = stream.read(CHUNK_SIZE)
        if not chunk:
            return False
        window = carry + chunk
        if MARKUP.search(window):
            return True
        carry = window[-MARKUP_OVERLAP:]


def check_pdf(stream: BinaryIO, size: int) -> None:
    incomplete = Refused("This PDF is incomplete: it stops before its end. "
                         "Download or save it again, then upload the new copy.")
    stream.seek(max(0, size - 1024))
    tail = stream.read()
    if b"%%EOF" not in tail:
        raise incomplete
    stream.seek(0)
    from pypdf import PdfReader
    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted and not _opens_without_password(reader):
            raise Refused("This PDF is protected by a password. Save a copy without the password and upload it.")
        count = 0
        for page in reader.pages:
            page.mediabox  # noqa: B018 (resolving each page's box proves the page tree is whole)
            if "/Contents" in page:
                contents = page.get_contents()
                if contents is None:
                    raise ValueError("page contents are not a stream")
                contents.get_data()  # decompresses the page's drawing instructions
            count += 1
    except Refused:
        raise
    except Exception as exc:
        raise Refused("This PDF is damaged: it could not be read. "
                      "Download or save it again, then upload the new copy.") from exc
    if count == 0:
        raise Refused("This PDF has no pages.")


def _opens_without_password(reader) -> bool:
    try:
        return bool(reader.decrypt(""))
    except Exception:
        return False


def _image_refused(label: str) -> Refused:
    return Refused(f"This {label} image is damaged or incomplete: it could not be opened. "
                   "Take the photo again or save the image again, then upload it.")


def _check_pixels(width: int, height: int) -> None:
    if width <= 0 or height <= 0:
        raise Refused("This image has no pixels.")
    if width * height > MAX_PIXELS:
        raise Refused(f"This image is too large ({width} × {height} pixels). "
                      f"Upload one of at most {MAX_PIXELS // 1_000_000} megapixels.")


@contextmanager
def _strict_pillow():
    """Pillow refuses truncated images unless LOAD_TRUNCATED_IMAGES is set, and WeasyPrint sets it
    for the whole process when imported: our check turns it off for its own duration."""
    from PIL import ImageFile
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous


def check_jpeg(stream: BinaryIO, size: int) -> None:
    from PIL import Image
    try:
        with _strict_pillow(), Image.open(stream, formats=["JPEG"]) as image:
            _check_pixels(*image.size)
            image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
            image.load()
    except Refused:
        raise
    except Exception as exc:
        raise _image_refused("JPEG") from exc


def check_png(stream: BinaryIO, size: int) -> None:
    from PIL import Image
    try:
        with _strict_pillow():
            with Image.open(stream, formats=["PNG"]) as image:
                _check_pixels(*image.size)
                image.verify()  # every chunk's checksum, up to IEND
            stream.seek(0)
            with Image.open(stream, formats=["PNG"]) as image:
                image.load()
    except Refused:
        raise
    except Exception as exc:
        raise _image_refused("PNG") from exc


def check_heic(stream: BinaryIO, size: int) -> None:
    import pillow_heif
    try:
        heif = pillow_heif.open_heif(stream, convert_hdr_to_8bit=True)
        image = heif[heif.primary_index]
        _check_pixels(*image.size)
        image.load()
    except Refused:
        raise
    except Exception as exc:
        raise _image_refused("HEIC") from exc


CHECKS = {"PDF": check_pdf, "JPEG": check_jpeg, "PNG": check_png, "HEIC": check_heic, "HEIF": check_heic}
