"""Account tests write certificate blobs, pending uploads and export files: each test leaves the
certificate root and the exports folder empty for the next (of any package)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _empty_files(request):
    yield
    if "app" in request.fixturenames:
        app = request.getfixturevalue("app")
        shutil.rmtree(Path(app.config["CERTIFICATE_ROOT"]), ignore_errors=True)
        shutil.rmtree(Path(app.config["INSTANCE_DIR"]) / "exports", ignore_errors=True)
