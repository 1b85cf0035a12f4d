"""Where the file parts of a multipart request go while it is parsed: the storage filesystem.

Werkzeug's default spools files to the system temp folder (and small ones into memory). Ours
streams every file part, chunk by chunk as it arrives, into a named temporary file under
CERTIFICATE_ROOT/tmp: memory stays flat, and an accepted upload becomes a pending file by a
hard link on the same filesystem (no copy). Each temporary file is deleted when the request
closes, whatever happened (too large, refused, an error), so nothing is left behind unless the
upload was kept.
"""
from __future__ import annotations

from flask import Request

from app.certificates.storage import current_store


class UploadRequest(Request):
    """The app's request class: file parts stream into the certificate staging area."""

    def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
        stream = current_store().upload_file()
        self.__dict__.setdefault("_upload_files", []).append(stream)
        return stream

    def close(self) -> None:
        try:
            super().close()
        finally:
            for stream in self.__dict__.pop("_upload_files", []):
                stream.close()  # a NamedTemporaryFile: closing deletes it
