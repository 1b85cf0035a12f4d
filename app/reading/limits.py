"""The daily limit on AI reads per user (AI_READS_PER_DAY), counted on the user's own calendar day.

A read is counted when it is about to be sent, whether the AI then answers or fails: the request
was made either way. The counter is a Redis INCR, so two reads started at once cannot both take
the last one; it lives under `user:<id>:` so the account purge finds it.
"""
from __future__ import annotations

from datetime import date

from flask import current_app

from app import user_keys
from app.extensions import redis

KEEP_SECONDS = 2 * 24 * 3600  # outlives the longest calendar day in any time zone


def _key(user_id: int, day: date) -> str:
    return user_keys.user_key(user_id, "ai-reads", day.isoformat())


def per_day() -> int:
    return max(0, int(current_app.config.get("AI_READS_PER_DAY", 0) or 0))


def used(user_id: int, day: date) -> int:
    return int(redis().get(_key(user_id, day)) or 0)


def left(user_id: int, day: date) -> int:
    return max(0, per_day() - used(user_id, day))


def take(user_id: int, day: date) -> bool:
    """Counts one AI read if one is left today; False (and nothing counted) when none is."""
    key = _key(user_id, day)
    connection = redis()
    count = connection.incr(key)
    connection.expire(key, KEEP_SECONDS)
    if count > per_day():
        connection.decr(key)
        return False
    return True
