"""Deleting a certificate, or an activity with its certificates: a blob goes only when nothing refers to it."""
from __future__ import annotations

import re

from sqlalchemy import select

from app.activities.models import Activity
from tests.certificates import samples
from tests.certificates.conftest import audit_actions, certificate_id, certificate_row, make_activity, staged, upload


def _verified(client, run_jobs, dbs, content: bytes, url: str = "/certificates/new"):
    number = certificate_id(upload(client, content, url=url))
    run_jobs()
    row = certificate_row(dbs, number)
    assert row.status == "verified"
    return row


def test_delete_asks_then_deletes_the_certificate_and_its_blob(user_client, dbs, store, run_jobs):
    row = _verified(user_client, run_jobs, dbs, samples.pdf())
    page = user_client.get(f"/certificates/{row.id}/delete").get_data(as_text=True)
    assert "Delete this certificate?" in page and f'action="/certificates/{row.id}/delete"' in page
    response = user_client.post_form(f"/certificates/{row.id}/delete")
    assert response.status_code == 303 and response.headers["Location"] == "/certificates"
    assert certificate_row(dbs, row.id) is None and list(store.blobs()) == []
    assert "certificate_deleted" in audit_actions(dbs, user_client.user.id)
    assert "Certificate deleted." in user_client.get("/certificates").get_data(as_text=True)


def test_a_shared_blob_stays_until_its_last_certificate_goes(user_client, auth, make_client, dbs, store, run_jobs):
    content = samples.pdf("shared")
    bob = make_client()
    auth.sign_up(bob, "bob@example.com", "Bob")
    mine, bobs = _verified(user_client, run_jobs, dbs, content), _verified(bob, run_jobs, dbs, content)
    assert mine.sha256 == bobs.sha256
    user_client.post_form(f"/certificates/{mine.id}/delete")
    assert store.exists(bobs.sha256) and bob.get(f"/certificates/{bobs.id}/file").data == content
    bob.post_form(f"/certificates/{bobs.id}/delete")
    assert list(store.blobs()) == []


def test_delete_without_the_csrf_field_changes_nothing(user_client, dbs, store, run_jobs):
    row = _verified(user_client, run_jobs, dbs, samples.pdf())
    assert user_client.post(f"/certificates/{row.id}/delete").status_code == 400
    assert certificate_row(dbs, row.id) is not None and store.exists(row.sha256)


def _activity_with_certificates(client, dbs, run_jobs, title: str = "Ethics seminar"):
    activity = make_activity(dbs, client.user.id, title)
    rows = [_verified(client, run_jobs, dbs, samples.pdf(f"{title} {n}"), url=f"/activities/{activity}/certificate")
            for n in (1, 2)]
    return activity, rows


def test_activity_delete_page_asks_what_happens_to_its_certificates(user_client, dbs, run_jobs):
    activity, _rows = _activity_with_certificates(user_client, dbs, run_jobs)
    page = user_client.get(f"/activities/{activity}/delete").get_data(as_text=True)
    assert "It has 2 certificates." in page and "What should happen to them?" in page
    assert re.search(r'<input checked[^>]*type="radio" value="keep">', page) and 'value="delete"' in page
    assert "Keep them in my account" in page and "Delete them too" in page
    bare = make_activity(dbs, user_client.user.id, "No certificate")
    assert 'type="radio"' not in user_client.get(f"/activities/{bare}/delete").get_data(as_text=True)
    row = user_client.htmx_get(f"/activities/{activity}/delete?inline=row",
                               target=f"activity-{activity}").get_data(as_text=True)
    assert "Its 2 certificates:" in row and 'value="delete"' in row


def test_deleting_an_activity_keeps_its_certificates_by_default(user_client, dbs, store, run_jobs):
    activity, rows = _activity_with_certificates(user_client, dbs, run_jobs)
    response = user_client.post_form(f"/activities/{activity}/delete")
    assert response.status_code == 303
    assert dbs.scalar(select(Activity).where(Activity.id == activity)) is None
    kept = [certificate_row(dbs, r.id) for r in rows]
    assert all(k.activity_id is None and k.status == "verified" for k in kept)
    assert sorted(store.blobs()) == sorted(r.sha256 for r in rows)
    listing = user_client.get("/certificates").get_data(as_text=True)
    assert "Its 2 certificates stay in your account." in listing
    assert user_client.get(f"/certificates/{rows[0].id}/file").status_code == 200


def test_deleting_an_activity_with_its_certificates(user_client, auth, make_client, dbs, store, run_jobs):
    activity, rows = _activity_with_certificates(user_client, dbs, run_jobs)
    bob = make_client()
    auth.sign_up(bob, "bob@example.com", "Bob")
    shared = _verified(bob, run_jobs, dbs, samples.pdf("Ethics seminar 1"))  # the same bytes as rows[0]
    pending = certificate_row(dbs, certificate_id(
        upload(user_client, samples.png(), "late.png", url=f"/activities/{activity}/certificate")))
    ids = [r.id for r in (*rows, pending)]
    response = user_client.post_form(f"/activities/{activity}/delete", {"certificates": "delete"})
    assert response.status_code == 303
    assert [certificate_row(dbs, number) for number in ids] == [None, None, None]
    assert list(store.blobs()) == [shared.sha256] and staged(store) == []  # bob's copy stays
    assert bob.get(f"/certificates/{shared.id}/file").status_code == 200
    actions = audit_actions(dbs, user_client.user.id)
    assert actions.count("certificate_deleted") == 3 and "activity_deleted" in actions
    assert "Its 3 certificates were deleted too." in user_client.get("/activities").get_data(as_text=True)
    run_jobs()  # the pending upload's queued job finds nothing to do
    assert list(store.blobs()) == [shared.sha256]


def test_inline_activity_delete_can_take_its_certificates(user_client, dbs, store, run_jobs):
    activity, rows = _activity_with_certificates(user_client, dbs, run_jobs)
    first = rows[0].id
    response = user_client.post_form(f"/activities/{activity}/delete?inline=row", {"certificates": "delete"},
                                     htmx=True, target=f"activity-{activity}")
    assert response.status_code == 200 and "were deleted too" in response.headers["HX-Trigger"]
    assert certificate_row(dbs, first) is None and list(store.blobs()) == []


def test_someone_elses_activity_cannot_be_deleted_with_certificates(user_client, auth, make_client, dbs, store,
                                                                    run_jobs):
    bob = make_client()
    bob.user = auth.sign_up(bob, "bob@example.com", "Bob")
    activity, rows = _activity_with_certificates(bob, dbs, run_jobs)
    response = user_client.post_form(f"/activities/{activity}/delete", {"certificates": "delete"})
    assert response.status_code == 404
    assert all(certificate_row(dbs, r.id).activity_id == activity for r in rows) and len(list(store.blobs())) == 2
