"""Certificate test helpers: an empty store after each test, uploads through the real form, activities."""
from __future__ import annotations

import io
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from app.certificates.storage import LocalBlobStore


@pytest.fixture(autouse=True)
def _empty_store(request):
    """Every test starts and ends with an empty certificate root."""
    yield
    if "app" in request.fixturenames:
        root = Path(request.getfixturevalue("app").config["CERTIFICATE_ROOT"])
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def store(app) -> LocalBlobStore:
    return LocalBlobStore(Path(app.config["CERTIFICATE_ROOT"]))


def upload(client, data: bytes, name: str = "certificate.pdf", *, url: str = "/certificates/new",
           field: str = "file", content_type: str = "application/octet-stream", htmx: bool = False):
    """Posts the upload form the way a browser does (multipart, CSRF field)."""
    return client.post_form(url, {field: (io.BytesIO(data), name, content_type)}, htmx=htmx)


def certificate_id(response) -> int:
    location = response.headers["Location"] if response.status_code == 303 else response.headers["HX-Redirect"]
    return int(location.rstrip("/").rsplit("/", 1)[1])


def make_activity(dbs, user_id: int, title: str = "Ethics in counseling") -> int:
    from app.activities.models import Activity
    activity = Activity(user_id=user_id, title=title, completed_on=date(2026, 3, 1), hours=Decimal("3.00"),
                        format="live_online")
    dbs.add(activity)
    dbs.commit()
    return activity.id


def certificate_row(dbs, certificate_id: int):
    from app.certificates.models import Certificate
    dbs.expire_all()
    return dbs.scalar(select(Certificate).where(Certificate.id == certificate_id))


def audit_actions(dbs, user_id: int) -> list[str]:
    from app.audit import AuditEvent
    dbs.expire_all()
    return list(dbs.scalars(select(AuditEvent.action).where(AuditEvent.user_id == user_id).order_by(AuditEvent.id)))


def staged(store: LocalBlobStore) -> list[str]:
    return sorted(path.name for path, _ in store.staged_files())
