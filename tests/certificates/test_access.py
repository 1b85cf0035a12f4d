"""Another user's certificate answers exactly as a certificate that does not exist: 404, on every URL."""
from __future__ import annotations

import re

import pytest

from tests.certificates import samples
from tests.certificates.conftest import certificate_id, certificate_row, make_activity, upload

# (method, URL pattern, htmx target or None) for every certificate URL the app serves
CERTIFICATE_URLS = [
    ("GET", "/certificates/{id}", None),
    ("GET", "/certificates/{id}", "certificate-status"),
    ("HEAD", "/certificates/{id}", None),
    ("GET", "/certificates/{id}/file", None),
    ("GET", "/certificates/{id}/file?inline=1", None),
    ("HEAD", "/certificates/{id}/file", None),
    ("GET", "/certificates/{id}/delete", None),
    ("POST", "/certificates/{id}/delete", None),
    ("POST", "/certificates/{id}/delete", "certificate-status"),
]
OTHER_METHODS = ["PUT", "PATCH", "DELETE", "POST", "OPTIONS"]
OTHER_URLS = ["/certificates/{id}", "/certificates/{id}/file"]


@pytest.fixture
def bobs_certificate(auth, make_client, dbs, run_jobs, store):
    bob = make_client()
    auth.sign_up(bob, "bob@example.com", "Bob")
    number = certificate_id(upload(bob, samples.pdf("Bob's own certificate"), "bob.pdf"))
    run_jobs()
    assert certificate_row(dbs, number).status == "verified"
    return number


def _masked(response, number: int) -> str:
    """The answer with what differs between any two requests blanked: the id asked for, CSRF tokens."""
    page = response.get_data(as_text=True).replace(f"/{number}", "/N")
    return re.sub(r'content="[^"]+"|value="[^"]+"', "", page)


def _ask(client, method: str, url: str, target: str | None):
    headers = {"HX-Request": "true", "HX-Target": target} if target else {}
    if method == "POST":
        return client.post_form(url, {}, htmx=bool(target), target=target)
    return client.open(url, method=method, headers=headers)


@pytest.mark.parametrize("method, pattern, target", CERTIFICATE_URLS)
def test_someone_elses_certificate_is_404_on_every_url(user_client, bobs_certificate, dbs, store, method, pattern,
                                                       target):
    user_client.get("/dashboard")  # shows (and so ends) the sign-up's own message
    response = _ask(user_client, method, pattern.format(id=bobs_certificate), target)
    nowhere = _ask(user_client, method, pattern.format(id=bobs_certificate + 1000), target)
    assert response.status_code == nowhere.status_code == 404
    assert _masked(response, bobs_certificate) == _masked(nowhere, bobs_certificate + 1000)
    assert b"%PDF" not in response.data and "bob.pdf" not in response.get_data(as_text=True)
    row = certificate_row(dbs, bobs_certificate)
    assert row is not None and row.status == "verified" and store.exists(row.sha256)


@pytest.mark.parametrize("method", OTHER_METHODS)
@pytest.mark.parametrize("pattern", OTHER_URLS)
def test_other_methods_answer_404_for_someone_elses_and_for_no_certificate(
        user_client, bobs_certificate, dbs, method, pattern):
    """A method a URL does not take answers 404 for an id that is not the user's, as for one that does
    not exist: only the owner learns which methods the URL takes."""
    user_client.get("/dashboard")
    response = _ask(user_client, method, pattern.format(id=bobs_certificate), None)
    nowhere = _ask(user_client, method, pattern.format(id=bobs_certificate + 1000), None)
    assert response.status_code == nowhere.status_code == 404
    assert _masked(response, bobs_certificate) == _masked(nowhere, bobs_certificate + 1000)
    assert certificate_row(dbs, bobs_certificate).status == "verified"


def test_the_owner_learns_the_methods_a_certificate_url_takes(user_client, dbs, run_jobs, store):
    mine = certificate_id(upload(user_client, samples.pdf("Ann's certificate"), "ann.pdf"))
    assert user_client.open(f"/certificates/{mine}", method="PUT").status_code == 405
    assert user_client.open(f"/certificates/{mine}/file", method="OPTIONS").status_code == 200


def test_someone_elses_certificates_are_not_listed(user_client, bobs_certificate):
    page = user_client.get("/certificates").get_data(as_text=True)
    assert "bob.pdf" not in page and "No certificates yet" in page


def test_someone_elses_activity_cannot_receive_or_list_certificates(user_client, auth, make_client, dbs):
    bob = make_client()
    bob_user = auth.sign_up(bob, "bob@example.com", "Bob")
    activity = make_activity(dbs, bob_user.id, "Bob's seminar")
    number = certificate_id(upload(bob, samples.pdf(), "bob.pdf", url=f"/activities/{activity}/certificate"))
    for method in ("GET", "POST"):
        response = _ask(user_client, method, f"/activities/{activity}/certificate", None)
        assert response.status_code == 404 and "Bob's seminar" not in response.get_data(as_text=True)
    assert certificate_row(dbs, number).activity_id == activity


def test_signed_out_visitors_are_sent_to_sign_in(client, bobs_certificate):
    for url in ("/certificates", "/certificates/new", f"/certificates/{bobs_certificate}",
                f"/certificates/{bobs_certificate}/file"):
        response = client.get(url)
        assert response.status_code == 303 and "/sign-in" in response.headers["Location"], url
