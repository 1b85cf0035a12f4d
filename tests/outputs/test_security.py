"""Another user's licenses, cycles, packets and links answer 404; signed-out visitors go to sign-in;
every POST needs its CSRF token."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.outputs.models import AuditPacket, ShareLink
from tests.outputs.seed import licensee


@pytest.fixture
def two(user_client, dbs, app, make_client, auth):
    ann = licensee(dbs, app, user_id=user_client.user.id, email=user_client.user.email)
    user_client.post_form(f"/licenses/{ann.license_id}/packet")
    user_client.post_form(f"/licenses/{ann.license_id}/shares", {"days": "7"})
    packet = dbs.scalar(select(AuditPacket))
    link = dbs.scalar(select(ShareLink))
    bob = make_client()
    auth.sign_up(bob, "bob@example.com", "Bob")
    return ann, packet, link, bob


def _owner_gets(ann, packet, cycle_query=""):
    lic = ann.license_id
    return [f"/licenses/{lic}/transcript{cycle_query}", f"/licenses/{lic}/transcript.pdf{cycle_query}",
            f"/licenses/{lic}/transcript.csv{cycle_query}", f"/licenses/{lic}/packet{cycle_query}",
            f"/licenses/{lic}/shares{cycle_query}", f"/packets/{packet.id}/packet.pdf",
            f"/packets/{packet.id}/packet.zip"]


def test_another_user_gets_404_everywhere(two):
    ann, packet, link, bob = two
    for url in _owner_gets(ann, packet):
        assert bob.get(url).status_code == 404, url
    for url in [f"/licenses/{ann.license_id}/packet", f"/licenses/{ann.license_id}/shares",
                f"/shares/{link.id}/revoke"]:
        assert bob.post_form(url, {"days": "7"}).status_code == 404, url


def test_a_cycle_of_another_license_is_404(two, dbs, app, user_client):
    ann, packet, link, bob = two
    bobs = licensee(dbs, app, user_id=_user_id(dbs, "bob@example.com"),
                    email="bob@example.com")
    assert user_client.get(f"/licenses/{ann.license_id}/transcript?cycle={bobs.cycle_id}").status_code == 404
    assert user_client.get(f"/licenses/{ann.license_id}/transcript?cycle={ann.cycle_id}").status_code == 200


def _user_id(dbs, email):
    from app.auth.models import User
    return dbs.scalar(select(User.id).where(User.email == email))


def test_signed_out_visitors_are_sent_to_sign_in(two, make_client):
    ann, packet, link, bob = two
    visitor = make_client()
    for url in _owner_gets(ann, packet) + ["/outputs", "/calendar", "/calendar/deadlines.ics"]:
        response = visitor.get(url)
        assert response.status_code == 303 and "/sign-in" in response.headers["Location"], url


def test_posts_without_csrf_are_refused(two, user_client):
    ann, packet, link, bob = two
    for url in [f"/licenses/{ann.license_id}/packet", f"/licenses/{ann.license_id}/shares",
                f"/shares/{link.id}/revoke", "/calendar/feed", "/calendar/feed/revoke"]:
        assert user_client.post(url, data={"days": "7"}).status_code == 400, url


def test_outputs_page_lists_the_users_cycles_with_links(two, user_client):
    ann, packet, link, bob = two
    page = user_client.get("/outputs").get_data(as_text=True)
    for url in [f"/licenses/{ann.license_id}/transcript?cycle={ann.cycle_id}",
                f"/licenses/{ann.license_id}/packet?cycle={ann.cycle_id}",
                f"/licenses/{ann.license_id}/shares?cycle={ann.cycle_id}", "/calendar"]:
        assert url in page, url
    assert "LPC-12345" not in bob.get("/outputs").get_data(as_text=True)
    assert 'href="/outputs"' in user_client.get("/dashboard").get_data(as_text=True)
