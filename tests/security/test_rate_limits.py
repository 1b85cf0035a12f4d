"""Rate limits on sign-in requests (per address, per IP) and code tries, and what happens when the
Redis behind them is gone: limits fall back to memory and the sign-in mail is still sent."""
from __future__ import annotations

from tests.mailbox import free_port, sign_in_code


def post_sign_in(client, email: str, ip: str):
    return client.post_form("/sign-in", {"email": email}, environ_base={"REMOTE_ADDR": ip})


def test_limit_per_address_holds_across_ips_and_spellings(client, monkeypatch, app):
    monkeypatch.setitem(app.config, "SIGN_IN_LIMIT_PER_ADDRESS", "2 per hour")
    assert post_sign_in(client, "ann@example.com", "10.0.0.1").status_code == 303
    assert post_sign_in(client, " Ann@Example.COM", "10.0.0.2").status_code == 303
    refused = post_sign_in(client, "ann@example.com", "10.0.0.3")
    assert refused.status_code == 429 and "Too many tries" in refused.get_data(as_text=True)
    assert post_sign_in(client, "bob@example.com", "10.0.0.3").status_code == 303


def test_limit_per_ip(client, monkeypatch, app):
    monkeypatch.setitem(app.config, "SIGN_IN_LIMIT_PER_IP", "2 per hour")
    assert post_sign_in(client, "a@example.com", "10.0.0.9").status_code == 303
    assert post_sign_in(client, "b@example.com", "10.0.0.9").status_code == 303
    assert post_sign_in(client, "c@example.com", "10.0.0.9").status_code == 429
    assert post_sign_in(client, "c@example.com", "10.0.0.10").status_code == 303


def test_limit_on_code_tries(client, auth, monkeypatch, app):
    monkeypatch.setitem(app.config, "CODE_LIMIT_PER_IP", "3 per hour")
    code = auth.request_code(client, "ann@example.com")
    for _ in range(3):
        assert client.post_form("/sign-in/code", {"code": "12"}).status_code == 422
    refused = client.post_form("/sign-in/code", {"code": code})
    assert refused.status_code == 429 and "Too many tries" in refused.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 303


def test_redis_down_limits_fall_back_to_memory_and_mail_is_sent_inline(fresh_app, mailbox):
    dead = fresh_app(REDIS_URL=f"redis://127.0.0.1:{free_port()}/1", SIGN_IN_LIMIT_PER_ADDRESS="2 per hour")
    client = dead.test_client()
    assert client.get("/sign-in").status_code == 200
    response = client.post_form("/sign-in", {"email": "ann@example.com"})
    assert response.status_code == 303 and response.headers["Location"] == "/sign-in/code"
    code = sign_in_code(mailbox.wait_for("ann@example.com"))  # sent by the web process, no worker
    assert client.post_form("/sign-in/code", {"code": code}).headers["Location"] == "/welcome"
    other = dead.test_client()
    assert other.post_form("/sign-in", {"email": "bob@example.com"}).status_code == 303
    assert other.post_form("/sign-in", {"email": "bob@example.com"}).status_code == 303
    assert other.post_form("/sign-in", {"email": "bob@example.com"}).status_code == 429  # counted in memory


def _through_proxy(client, email: str, forwarded_for: str):
    """A request as a load balancer at 10.0.0.1 passes it on, naming the client it came from."""
    return client.post_form("/sign-in", {"email": email}, environ_base={"REMOTE_ADDR": "10.0.0.1"},
                            headers={"X-Forwarded-For": forwarded_for})


def test_behind_a_trusted_proxy_the_limit_is_per_client(fresh_app):
    app = fresh_app(TRUSTED_PROXIES=1, SIGN_IN_LIMIT_PER_IP="2 per hour")
    client = app.test_client()
    assert _through_proxy(client, "a@example.com", "203.0.113.7").status_code == 303
    assert _through_proxy(client, "b@example.com", "203.0.113.7").status_code == 303
    assert _through_proxy(client, "c@example.com", "203.0.113.7").status_code == 429
    assert _through_proxy(client, "c@example.com", "198.51.100.4").status_code == 303
    # A client cannot forge an address in front of the proxy's: only the last hop is trusted.
    assert _through_proxy(client, "d@example.com", "198.51.100.99, 203.0.113.7").status_code == 429


def test_without_trusted_proxies_forwarded_headers_are_ignored(fresh_app):
    app = fresh_app(TRUSTED_PROXIES=0, SIGN_IN_LIMIT_PER_IP="2 per hour")
    client = app.test_client()
    assert _through_proxy(client, "a@example.com", "203.0.113.7").status_code == 303
    assert _through_proxy(client, "b@example.com", "198.51.100.4").status_code == 303
    assert _through_proxy(client, "c@example.com", "192.0.2.1").status_code == 429  # all one peer: the proxy
