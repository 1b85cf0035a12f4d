"""Share links: shown once, stored hashed, work until revoked or expired, every view audited."""
from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from app.audit import AuditEvent
from app.outputs.models import ShareLink
from tests.outputs.seed import licensee


@pytest.fixture
def ann(user_client, dbs, app):
    return licensee(dbs, app, user_id=user_client.user.id, email=user_client.user.email)


def _make_link(user_client, ann, days="7", htmx=False) -> str:
    response = user_client.post_form(f"/licenses/{ann.license_id}/shares", {"days": days, "note": "Texas board"},
                                     htmx=htmx, target="shares" if htmx else None)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    return re.search(r'id="share-url">https://cetracker\.test(/share/[A-Za-z0-9_-]+)<', page).group(1)


def test_link_opens_read_only_transcript_for_anyone_and_each_view_is_audited(user_client, ann, make_client, dbs):
    path = _make_link(user_client, ann)
    token = path.rsplit("/", 1)[1]
    link = dbs.scalar(select(ShareLink))
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in link.token_hash
    board = make_client()
    page = board.get(path)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Ethics in counseling" in text and "read-only copy shared by Ann Example" in text
    assert "Download PDF" in text and "Audit packet" not in text and "Make a link" not in text
    assert page.headers["Cache-Control"] == "no-store" and "noindex" in page.headers["X-Robots-Tag"]
    assert board.get(path + "/transcript.pdf").mimetype == "application/pdf"
    views = dbs.scalars(select(AuditEvent).where(AuditEvent.action == "share_link_viewed")).all()
    assert [(v.user_id, v.details["what"]) for v in views] == [(ann.user_id, "page"), (ann.user_id, "pdf")]
    dbs.expire_all()
    assert dbs.scalar(select(ShareLink)).view_count == 2
    assert "Share link viewed" in user_client.get("/account/activity-log").get_data(as_text=True)


def test_htmx_swaps_the_links_block_with_the_new_url(user_client, ann):
    response = user_client.post_form(f"/licenses/{ann.license_id}/shares", {"days": "30"}, htmx=True,
                                     target="shares")
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="shares">') and 'id="share-url"' in body and "<html" not in body


def test_revoked_link_refuses(user_client, ann, make_client, dbs):
    path = _make_link(user_client, ann)
    link = dbs.scalar(select(ShareLink))
    response = user_client.post_form(f"/shares/{link.id}/revoke")
    assert response.status_code == 303
    board = make_client()
    refused = board.get(path)
    assert refused.status_code == 410 and "Ethics in counseling" not in refused.get_data(as_text=True)
    assert board.get(path + "/transcript.pdf").status_code == 410
    assert "revoked" in user_client.get(f"/licenses/{ann.license_id}/shares").get_data(as_text=True)


def test_expired_link_refuses(user_client, ann, make_client):
    path = _make_link(user_client, ann, days="7")
    board = make_client()
    assert board.get(path).status_code == 200
    with time_machine.travel(timedelta(days=7, minutes=1)):
        assert board.get(path).status_code == 410


def test_unknown_token_and_deleted_owner_refuse(user_client, ann, make_client, dbs):
    path = _make_link(user_client, ann)
    board = make_client()
    assert board.get("/share/" + "x" * 43).status_code == 410
    from app.auth.models import User
    from app.db import utcnow
    dbs.get(User, ann.user_id).deleted_at = utcnow()
    dbs.commit()
    assert board.get(path).status_code == 410


def test_bad_expiry_is_refused_with_the_form(user_client, ann):
    response = user_client.post_form(f"/licenses/{ann.license_id}/shares", {"days": "3650"})
    assert response.status_code == 422 and "Not a valid choice" in response.get_data(as_text=True)


def test_the_access_log_never_holds_the_token(user_client, ann, make_client, caplog):
    path = _make_link(user_client, ann)
    token = path.rsplit("/", 1)[1]
    with caplog.at_level("INFO", logger="cetracker.access"):
        make_client().get(path)
    assert "/share/<token>" in caplog.text and token not in caplog.text


def test_the_shared_pdf_is_rate_limited_per_ip(user_client, ann, make_client, monkeypatch, app):
    monkeypatch.setitem(app.config, "SHARED_PDF_LIMIT_PER_IP", "2 per hour")
    path = _make_link(user_client, ann)
    board = make_client()
    assert [board.get(path + "/transcript.pdf").status_code for _ in range(3)] == [200, 200, 429]
    assert board.get(path).status_code == 200  # the page itself is not held back
