"""Progress figures cached per process, made stale by a per-user data version in Redis.

Every write that can change a user's progress (a license, a cycle, an activity) calls
`bump_progress_version(user_id)` after it commits; activity writes do so through the
`activities_changed` signal. Cached values are keyed by (user, version, day), so a bump
makes every process recompute on its next read, and a warm read costs one Redis GET.

Without Redis nothing is cached: figures are computed fresh, never a 500. Entries also
expire after MAX_AGE_SECONDS, which bounds the one staleness a version cannot prevent (a
write made while Redis was unreachable, seen by another process once Redis is back). A
missing version starts at a random number, so a Redis that lost its data never brings
back a version an old cache entry still holds.
"""
from __future__ import annotations

import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from flask import current_app, has_app_context
from redis.exceptions import RedisError

from app import user_keys
from app.activities.signals import activities_changed
from app.extensions import redis

log = logging.getLogger(__name__)
T = TypeVar("T")

VERSION_TTL_SECONDS = 30 * 24 * 3600  # a user gone quiet for a month starts a fresh version
MAX_AGE_SECONDS = 300
MAX_ENTRIES = 4096


class LocalCache:
    """A small thread-safe LRU with an age limit, one per app per process."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_age: float = MAX_AGE_SECONDS) -> None:
        self.max_entries, self.max_age = max_entries, max_age
        self._entries: OrderedDict[tuple, tuple[float, object]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> object | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            stored_at, value = entry
            if time.monotonic() - stored_at > self.max_age:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return value

    def put(self, key: tuple, value: object) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic(), value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def forget_user(self, user_id: int) -> None:
        with self._lock:
            for key in [key for key in self._entries if key[1] == user_id]:
                del self._entries[key]


def local_cache() -> LocalCache:
    return current_app.extensions.setdefault("progress_cache", LocalCache())


def _key(user_id: int) -> str:
    return user_keys.user_key(user_id, "progress_version")  # the account purge finds it


def progress_version(user_id: int) -> str | None:
    """The user's data version; None when Redis cannot be reached (then nothing is cached)."""
    try:
        connection = redis()
        value = connection.get(_key(user_id))
        if value is None:
            connection.set(_key(user_id), secrets.randbits(62), nx=True, ex=VERSION_TTL_SECONDS)
            value = connection.get(_key(user_id))
    except RedisError as error:
        log.warning("progress cache off: Redis unreachable (%s)", error)
        return None
    return value.decode() if isinstance(value, bytes) else (str(value) if value is not None else None)


def bump_progress_version(user_id: int) -> None:
    """Call after committing any change to a user's licenses, cycles or activities."""
    local_cache().forget_user(user_id)
    try:
        pipeline = redis().pipeline(transaction=False)
        pipeline.set(_key(user_id), secrets.randbits(62), nx=True, ex=VERSION_TTL_SECONDS)
        pipeline.incr(_key(user_id))
        pipeline.expire(_key(user_id), VERSION_TTL_SECONDS)
        pipeline.execute()
    except RedisError as error:
        log.warning("progress version of user %s not bumped: Redis unreachable (%s)", user_id, error)


def cached(kind: str, user_id: int, today: date, compute: Callable[[], T]) -> T:
    """`compute()`'s value for this user and day, reused until the user's data changes."""
    version = progress_version(user_id)
    if version is None:
        return compute()
    cache = local_cache()
    key = (kind, user_id, version, today)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.put(key, value)
    return value  # type: ignore[return-value]


@activities_changed.connect
def _on_activities_changed(sender=None, user_id: int | None = None, **_extra) -> None:
    """An activity was written: the user's progress must be computed again."""
    if user_id is None:
        return
    if not has_app_context():
        log.warning("activities_changed for user %s outside an app context: cache not bumped", user_id)
        return
    bump_progress_version(int(user_id))
