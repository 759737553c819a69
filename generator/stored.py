"""The build cache's file format: CBOR data with an allow-list of types, never pickle.

The cache sits beside the sources and anyone who can write there could swap a file. Unpickling
such a file runs whatever code it names; reading CBOR only ever gives data. A stored object
becomes one of the types named in `_MODULES` (dataclasses by field name, named tuples by position)
or plain values (str, int, bytes, list, dict, …);
a mark naming anything else makes the whole file unreadable, which the cache treats as
"start afresh".
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
from decimal import Decimal
from pathlib import Path, PurePath

import cbor2

# A value CBOR has no type for is a map with the one key MARK (no dict the cache stores has it):
# {MARK: [kind, value]}. Plain CBOR, read without hooks, then turned back here: nothing in the
# file can name a function, and what a reader library makes of tags never matters.
MARK = "\0"


class Unreadable(Exception):
    """The data is not a stored value of an allowed type."""


# Where each type a stored value may name is defined: imported when a file names it (these modules
# import the cache's users, not the other way round; a build with nothing to do reads only the
# last build's summary, and loads none of the rendering modules).
_MODULES = {"State": "cache", "Written": "cache", "Made": "cache", "Seen": "cache", "Last": "cache",
            "Document": "model", "Attachment": "model", "Parsed": "content", "AnnualData": "annual",
            "IndexStats": "search"}
TYPES: dict[str, type] = {}  # the types of _MODULES met so far


def _type(name) -> type | None:
    kind = TYPES.get(name)
    if kind is None and name in _MODULES:
        kind = TYPES[name] = getattr(importlib.import_module(f".{_MODULES[name]}", __package__), name)
    return kind


def dumps(value) -> bytes:
    return cbor2.dumps(_encode(value))


def loads(data: bytes):
    try:
        plain = cbor2.loads(data)
    except Exception as exc:  # noqa: BLE001 - cbor2 raises many kinds for damaged data
        raise Unreadable(str(exc)) from None
    try:
        return _decode(plain)
    except (TypeError, ValueError, KeyError, OverflowError, RecursionError) as exc:
        raise Unreadable(str(exc)) from None


def _encode(value):
    kind = type(value)
    if kind in (str, int, bytes, bool, float) or value is None:
        return value
    if kind is dict:
        return {_encode(k): _encode(v) for k, v in value.items()}
    if kind is list:
        return [_encode(v) for v in value]
    if kind is tuple:
        return {MARK: ["T", [_encode(v) for v in value]]}
    if isinstance(value, tuple) and _type(kind.__name__) is kind:  # a NamedTuple of _MODULES: by position
        return {MARK: ["R", kind.__name__, [_encode(v) for v in value]]}
    if kind in (frozenset, set):
        return {MARK: ["S", [_encode(v) for v in value]]}
    if kind is dt.date:
        return {MARK: ["D", value.toordinal()]}
    if isinstance(value, PurePath):
        return {MARK: ["P", str(value)]}
    if kind is Decimal:
        return {MARK: ["N", str(value)]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type) and _type(kind.__name__) is kind:
        return {MARK: ["O", kind.__name__, {f.name: _encode(value.__dict__[f.name]) for f in dataclasses.fields(value)}]}
    raise TypeError(f"the build cache cannot store {kind.__name__}")


def _decode(value):
    kind = type(value)
    if kind is list:
        return [_decode(v) for v in value]
    if kind is not dict:
        if kind in (str, int, bytes, bool, float) or value is None:
            return value
        raise ValueError(f"unexpected {kind.__name__}")
    if MARK not in value:
        return {_hashable(_decode(k)): _decode(v) for k, v in value.items()}
    mark = value[MARK]
    if len(value) != 1 or type(mark) is not list or not mark:
        raise ValueError("bad mark")
    what = mark[0]
    if what == "T":
        return tuple(_decode(v) for v in mark[1])
    if what == "S":
        return frozenset(_hashable(_decode(v)) for v in mark[1])
    if what == "D":
        return dt.date.fromordinal(mark[1])
    if what == "P":
        return Path(_text(mark[1]))
    if what == "N":
        return Decimal(_text(mark[1]))
    if what == "R":
        cls, values = _type(mark[1]), mark[2]
        if cls is None or type(values) is not list or len(values) != len(cls._fields):
            raise ValueError(f"fields of {mark[1]}")
        return cls(*(_decode(v) for v in values))
    if what == "O":
        cls, fields = _type(mark[1]), mark[2]
        if cls is None or type(fields) is not dict or set(fields) != {f.name for f in dataclasses.fields(cls)}:
            raise ValueError(f"fields of {mark[1]}")
        # Not through __init__: ten thousand documents, and the values were checked when stored.
        obj = object.__new__(cls)
        obj.__dict__.update({name: _decode(v) for name, v in fields.items()})
        return obj
    raise ValueError(f"unknown mark {what!r}")


def _text(value) -> str:
    if type(value) is not str:
        raise ValueError("text expected")
    return value


def _hashable(value):
    hash(value)  # TypeError for a list or dict where a key must be
    return value
