"""Real certificate files made on the spot: PDFs by WeasyPrint and pypdf, photos by Pillow and pillow-heif."""
from __future__ import annotations

import functools
import io
import os
import random

from PIL import Image, ImageDraw


@functools.lru_cache(maxsize=16)
def pdf(text: str = "Certificate of completion: Ann Example, 3 CE hours, Ethics") -> bytes:
    from weasyprint import HTML
    return HTML(string=f"<h1>Certificate</h1><p>{text}</p>").write_pdf()


def large_pdf(size: int) -> bytes:
    """A valid one-page PDF of about `size` bytes (the bulk is an embedded file of random bytes)."""
    from pypdf import PdfReader, PdfWriter
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf())))
    writer.add_attachment("scan.bin", random.Random(size).randbytes(max(0, size - 2000)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _picture(width: int = 640, height: int = 480, seed: int = 1) -> Image.Image:
    image = Image.new("RGB", (width, height), (250, 248, 240))
    draw = ImageDraw.Draw(image)
    rng = random.Random(seed)
    draw.rectangle((10, 10, width - 10, height - 10), outline=(120, 90, 20), width=6)
    for line in range(8):
        y = 60 + line * (height - 120) // 8
        draw.line((40, y, width - 40 - rng.randint(0, width // 3), y), fill=(30, 30, 30), width=4)
    return image


def jpeg(width: int = 640, height: int = 480, seed: int = 1, quality: int = 90) -> bytes:
    out = io.BytesIO()
    _picture(width, height, seed).save(out, "JPEG", quality=quality)
    return out.getvalue()


def noisy_jpeg(size: int) -> bytes:
    """A photo-like JPEG of roughly `size` bytes (noise compresses badly, like a real photo)."""
    side = int((size / 1.2) ** 0.5 / 1.0)
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92)
    return out.getvalue()


def png(width: int = 640, height: int = 480, seed: int = 1) -> bytes:
    out = io.BytesIO()
    _picture(width, height, seed).save(out, "PNG")
    return out.getvalue()


def heic(width: int = 640, height: int = 480, seed: int = 1) -> bytes:
    import pillow_heif
    out = io.BytesIO()
    pillow_heif.from_pillow(_picture(width, height, seed)).save(out, quality=70)
    return out.getvalue()
