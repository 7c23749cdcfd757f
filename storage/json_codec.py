"""JSON encoding of python-telegram-bot data (user/chat/bot data, conversation keys).

Plain JSON plus tags for what JSON lacks: tuples, sets, dates and datetimes, dicts with
non-string keys, and registered dataclasses (:class:`kernel.counts.Month` and
:class:`kernel.counts.CaseCounts` by default). No pickle: only registered types are rebuilt.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

from kernel.calendar import Month
from kernel.counts import CaseCounts

_TAGS = ("__tuple__", "__set__", "__datetime__", "__date__", "__map__", "__type__")
_TYPES: dict[str, type] = {}


def register_type(cls: type) -> type:
    """Allow a dataclass to be stored in persisted data (usable as a decorator)."""
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls.__name__} is not a dataclass")
    _TYPES[cls.__name__] = cls
    return cls


register_type(Month)
register_type(CaseCounts)


def encode(value: Any) -> Any:
    """A JSON-compatible structure for `value`; TypeError for unsupported objects."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v) for v in value]}
    if isinstance(value, set | frozenset):
        return {"__set__": [encode(v) for v in value]}
    if isinstance(value, datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, date):
        return {"__date__": value.isoformat()}
    if isinstance(value, dict):
        if all(isinstance(k, str) and k not in _TAGS for k in value):
            return {k: encode(v) for k, v in value.items()}
        return {"__map__": [[encode(k), encode(v)] for k, v in value.items()]}
    if dataclasses.is_dataclass(value) and _TYPES.get(type(value).__name__) is type(value):
        fields = {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"__type__": type(value).__name__, "fields": fields}
    raise TypeError(f"cannot store {type(value).__name__} in persisted data")


def decode(value: Any) -> Any:
    """The inverse of :func:`encode`."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "__tuple__" in value and len(value) == 1:
        return tuple(decode(v) for v in value["__tuple__"])
    if "__set__" in value and len(value) == 1:
        return {decode(v) for v in value["__set__"]}
    if "__datetime__" in value and len(value) == 1:
        return datetime.fromisoformat(value["__datetime__"])
    if "__date__" in value and len(value) == 1:
        return date.fromisoformat(value["__date__"])
    if "__map__" in value and len(value) == 1:
        return {_hashable(decode(k)): decode(v) for k, v in value["__map__"]}
    if "__type__" in value and set(value) == {"__type__", "fields"}:
        cls = _TYPES.get(value["__type__"])
        if cls is None:
            raise TypeError(f"unknown stored type {value['__type__']!r}")
        return cls(**{k: decode(v) for k, v in value["fields"].items()})
    return {k: decode(v) for k, v in value.items()}


def _hashable(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key
