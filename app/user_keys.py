"""One registry of the Redis keys that hold something of one account, so the purge can find them all.

The purge (app.account.deletion) deletes every key this registry finds for an account, and
`flask accounts purge --dry-run` lists them. Anything a package keeps in Redis for one user must
be findable here from the account alone (its id, its address, its rows before they are deleted).

Two ways to comply, in order of preference:

1. Name the key with `user_key(user_id, "what", ...)`: `<RQ_PREFIX>user:<id>:what...`. The
   "user" source below finds every such key (and the unprefixed `user:<id>:...` form, e.g. the
   licenses progress version `user:<id>:progress_version`). A Flask-Limiter limit per user uses
   a key function returning `limit_key(user_id, "what")`: found by the "limits.user" source.
2. Otherwise register how to find the keys, next to the code that writes them:

       user_keys.register("activities.import", "CSV uploads waiting for review",
                          patterns=lambda account: [prefixed(f"activities:import:{account.id}:*")])

   `patterns` returns Redis MATCH globs (escape literal parts with `glob_escape`), scanned by the
   purge; `keys` returns exact key names, deleted without a scan (cheap: use it when the keys
   follow from the account's rows, e.g. RQ job ids). Both receive an `Account` whose session
   still sees the account's rows: the purge asks before it deletes them.

tests/account/test_user_keys.py checks that every module writing Redis keys from a user id goes
through one of these, and that a purge leaves no key of any registered source behind.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Account:
    """What a key source may use to find an account's keys."""

    id: int
    email: str
    session: Session


@dataclass(frozen=True)
class KeySource:
    name: str
    holds: str  # what the keys hold, for people reading the dry run or this registry
    patterns: Callable[[Account], Iterable[str]] | None = None
    keys: Callable[[Account], Iterable[str]] | None = None


_SOURCES: dict[str, KeySource] = {}


def register(name: str, holds: str, *, patterns: Callable[[Account], Iterable[str]] | None = None,
             keys: Callable[[Account], Iterable[str]] | None = None) -> None:
    """Adds a source of per-user keys; registering the same name again replaces it."""
    if patterns is None and keys is None:
        raise ValueError("a key source needs patterns or keys")
    _SOURCES[name] = KeySource(name, holds, patterns, keys)


def sources() -> list[KeySource]:
    return sorted(_SOURCES.values(), key=lambda source: source.name)


def collect(session: Session, user_id: int, email: str) -> tuple[list[str], list[str]]:
    """(MATCH patterns, exact keys) of every registered source for one account."""
    account = Account(user_id, email, session)
    patterns: set[str] = set()
    keys: set[str] = set()
    for source in sources():
        if source.patterns is not None:
            patterns.update(source.patterns(account))
        if source.keys is not None:
            keys.update(source.keys(account))
    return sorted(patterns), sorted(keys)


def prefix() -> str:
    """The deployment's key prefix (RQ_PREFIX), shared by every key of ours."""
    return current_app.config.get("RQ_PREFIX", "") or ""


def prefixed(key: str) -> str:
    return prefix() + key


def user_key(user_id: int, *parts: str) -> str:
    """The name for a new per-user key: found by the purge without any registration."""
    return prefixed(":".join([f"user:{int(user_id)}", *parts]))


def limit_key(user_id: int, what: str) -> str:
    """What a Flask-Limiter key function returns for a limit per user."""
    return f"user:{int(user_id)}:{what}"


def glob_escape(text: str) -> str:
    """Escapes MATCH wildcards, so an address like a*b@x.org matches only itself."""
    return "".join("\\" + ch if ch in "*?[]\\" else ch for ch in text)


def _limits_prefix() -> str:
    return glob_escape(current_app.config.get("RATELIMIT_KEY_PREFIX", "") or "")


# The conventions of this codebase (see the module docstring).
register("user", "keys named by user_key(), e.g. AI reads per day and the licenses progress version",
         patterns=lambda account: sorted({f"user:{account.id}:*", glob_escape(prefix()) + f"user:{account.id}:*"}))
register("limits.user", "rate-limit counters per user (Flask-Limiter, key function limit_key())",
         patterns=lambda account: [f"*{_limits_prefix()}*/user:{account.id}:*"])
register("limits.address", "sign-in rate-limit counters per e-mail address",
         patterns=lambda account: [f"*{_limits_prefix()}*/address:{glob_escape(account.email)}/*"])
