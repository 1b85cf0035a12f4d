"""A job for the support console tests: it fails until the test allows it, then succeeds.

Its error message carries an address and a token-like string, and its argument a private note,
so the tests can check that the console shows none of them.
"""
from __future__ import annotations

from jobs import tracked

ALLOW_KEY = "test:allow-retry"


class MailRefused(Exception):
    pass


@tracked
def fails_until_allowed(record_id: str, note: str) -> str:
    from app.extensions import redis
    if not redis().get(ALLOW_KEY):
        raise MailRefused("smtp refused ann@example.com with token Zx9aQ4hT7LmP2sK8vB3nR6wY")
    return "/results/retried"
