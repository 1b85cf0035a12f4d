"""Redis locks, each with a timeout, so that work on one blob, and each sweep, never overlaps.

A blob is moved into place and its row committed under the blob's lock; a blob is removed only
under the same lock after checking that no row refers to it. A process that dies holding a lock
loses it when the timeout passes.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

from flask import current_app
from redis.exceptions import LockError
from redis.lock import Lock

from app.extensions import redis

log = logging.getLogger(__name__)

BLOB_LOCK_SECONDS = 300


class Busy(Exception):
    """Someone else holds the lock."""


def _key(name: str) -> str:
    return f"{current_app.config.get('RQ_PREFIX', '')}cetracker:lock:certificates:{name}"


@contextmanager
def held(name: str, *, timeout: int, wait: float = 0) -> Iterator[Lock]:
    """Holds the named lock for the block; raises Busy when it cannot be had within `wait` seconds."""
    lock = redis().lock(_key(name), timeout=timeout, blocking=wait > 0, blocking_timeout=wait or None)
    if not lock.acquire():
        raise Busy(name)
    try:
        yield lock
    finally:
        try:
            lock.release()
        except LockError:
            log.warning("lock %s expired before it was released", name)


def blob_lock(sha256: str, *, wait: float) -> AbstractContextManager[Lock]:
    return held(f"blob:{sha256}", timeout=BLOB_LOCK_SECONDS, wait=wait)
