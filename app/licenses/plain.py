"""Frozen dataclasses to and from plain JSON-able dicts, driven by their type hints.

Rule sets live in a JSON database column and in the catalog YAML, so the conversion must
be exact (Decimal as a string, dates as ISO text) and must refuse what it does not know
rather than silently drop a field a user typed.
"""
from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any


def decimal_text(value: Decimal) -> str:
    """'24', '22.5', '0.5': exact, without exponent or trailing zeros."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def to_plain(value: Any) -> Any:
    """A dataclass (recursively) as dicts, lists, strings, numbers, booleans and None."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [to_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_plain(item) for key, item in value.items()}
    return value


def from_plain(cls: type, data: Any, where: str = "") -> Any:
    """Builds `cls` from `to_plain` output; raises ValueError naming the bad field."""
    where = where or cls.__name__
    if not isinstance(data, dict):
        raise ValueError(f"{where}: expected a mapping, got {type(data).__name__}")  # noqa: TRY004 - callers catch ValueError for any bad stored data
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = set(data) - set(fields)
    if unknown:
        raise ValueError(f"{where}: unknown field(s) {sorted(unknown)}")
    values = {}
    for name, field in fields.items():
        if name in data:
            values[name] = _convert(hints[name], data[name], f"{where}.{name}")
        elif field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            raise ValueError(f"{where}: missing field {name!r}")
    try:
        return cls(**values)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{where}: {error}") from error


def _convert(hint: Any, value: Any, where: str) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if value is None:
            if len(options) < len(typing.get_args(hint)):
                return None
            raise ValueError(f"{where}: a value is required")
        return _convert(options[0], value, where)
    if value is None:
        raise ValueError(f"{where}: a value is required")
    if origin is tuple:
        if not isinstance(value, (list, tuple)):
            raise ValueError(f"{where}: expected a list")
        item_hint = typing.get_args(hint)[0]
        return tuple(_convert(item_hint, item, f"{where}[{i}]") for i, item in enumerate(value))
    if dataclasses.is_dataclass(hint):
        return from_plain(hint, value, where)
    if hint is Decimal:
        if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
            raise ValueError(f"{where}: expected a number")
        try:
            return Decimal(str(value))
        except InvalidOperation as error:
            raise ValueError(f"{where}: {value!r} is not a number") from error
    if hint is date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError as error:
            raise ValueError(f"{where}: {value!r} is not a YYYY-MM-DD date") from error
    if isinstance(hint, type) and issubclass(hint, Enum):
        try:
            return hint(value)
        except ValueError as error:
            choices = ", ".join(member.value for member in hint)
            raise ValueError(f"{where}: {value!r} is not one of {choices}") from error
    if hint in (str, int, bool):
        if type(value) is not hint:
            raise ValueError(f"{where}: expected {hint.__name__}, got {type(value).__name__}")
        return value
    raise TypeError(f"{where}: unsupported type {hint!r}")
