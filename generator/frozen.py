"""The values page contexts are made of, and their digest: what a page's cache key is computed from.

A page context (routes.py) holds everything its templates may read. Its digest covers every
field of every value in it, so a page is rendered again whenever anything it could show changed,
and no list of inputs is kept by hand. Values the digest cannot read (functions, open files,
arbitrary objects) are refused: a context that held one could change without its key changing.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from decimal import Decimal
from enum import Enum
from pathlib import PurePath
from typing import Any, Iterator

# A dataclass field with metadata {"digest": False} is left out of the digest (something else in
# the value stands for it: a document's body, for instance, by the digest of its source file);
# {"digest": True} puts in a field that equality leaves out.
LEAVE_OUT = {"digest": False}
PUT_IN = {"digest": True}


@dataclasses.dataclass(frozen=True)
class Table:
    """A frozen mapping in a fixed order, as templates read one: get, [], in, items, keys, len."""

    pairs: tuple[tuple[Any, Any], ...] = ()

    def __post_init__(self):
        if type(self.pairs) is not tuple:
            object.__setattr__(self, "pairs", tuple(self.pairs))

    @property
    def _found(self) -> dict:
        """The pairs as a dict, made when first looked up in (most tables are only iterated)."""
        try:
            return self.__dict__["_lookup"]
        except KeyError:
            found = self.__dict__["_lookup"] = dict(self.pairs)
            return found

    def get(self, key, default=None):
        return self._found.get(key, default)

    def __getitem__(self, key):
        return self._found[key]

    def __contains__(self, key) -> bool:
        return key in self._found

    def items(self) -> tuple:
        return self.pairs

    def keys(self) -> tuple:
        return tuple(k for k, _ in self.pairs)

    def values(self) -> tuple:
        return tuple(v for _, v in self.pairs)

    def __iter__(self) -> Iterator:
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self.pairs)

    def __bool__(self) -> bool:
        return bool(self.pairs)


class Unreadable(TypeError):
    """A page context holds a value whose content the digest cannot read."""


_SCALARS = {type(None), bool, int, float, Decimal}
_SEQUENCES = {tuple, list}
_FIELDS: dict[type, tuple[str, ...]] = {}  # dataclass → the names of the fields its digest reads


def _fields(kind: type) -> tuple[str, ...]:
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind) if f.metadata.get("digest", f.compare))
    return names


class Digests:
    """Digests of values, remembering those of the dataclass instances met (a document appears
    in many pages' contexts). The remembered objects are kept alive with their digests, so an
    id is never another object's; `before`: what the last build's Digests remembered (`seen`),
    for objects a build meets again (make serve keeps its documents and config from build to
    build). The values are frozen, as everything a page context holds is never changed."""

    def __init__(self, before: dict | None = None):
        self.seen: dict[int, tuple[object, str]] = {}
        self._before = before or {}

    def of(self, value) -> str:
        parts: list[str] = []
        self._encode(value, parts)
        return hashlib.sha256("".join(parts).encode("utf-8", "surrogatepass")).hexdigest()

    def _encode(self, value, out: list[str]) -> None:
        kind = type(value)
        if kind is str:
            out.append(f"s{len(value)}:{value}")
        elif kind in _SCALARS:
            out.append(f"{kind.__name__}:{value!r};")
        elif kind in _SEQUENCES:
            out.append(f"{kind.__name__}{len(value)}(")
            for item in value:
                self._encode(item, out)
            out.append(")")
        elif hasattr(kind, "__dataclass_fields__"):
            out.append(self._dataclass(value))
        elif kind is frozenset or kind is set:
            out.append(f"{kind.__name__}{len(value)}(")
            for item in sorted(value, key=repr):
                self._encode(item, out)
            out.append(")")
        elif kind is dict:
            out.append(f"dict{len(value)}(")
            for k, v in value.items():
                self._encode(k, out)
                self._encode(v, out)
            out.append(")")
        elif isinstance(value, (dt.date, dt.datetime)):
            out.append(f"{kind.__name__}:{value.isoformat()};")
        elif isinstance(value, PurePath):
            out.append(f"path:{value.as_posix()};")
        elif isinstance(value, Enum):
            out.append(f"{kind.__qualname__}.{value.name};")
        else:
            raise Unreadable(f"a page context cannot hold a {kind.__module__}.{kind.__qualname__}: "
                             "its digest would not change when it does")

    def _dataclass(self, value) -> str:
        seen = self.seen.get(id(value))
        if seen is not None and seen[0] is value:
            return seen[1]
        seen = self._before.get(id(value))
        if seen is not None and seen[0] is value:
            self.seen[id(value)] = seen
            return seen[1]
        kind = type(value)
        parts = [f"{kind.__module__}.{kind.__qualname__}("]
        for name in _fields(kind):
            parts.append(name + "=")
            self._encode(getattr(value, name), parts)
        parts.append(")")
        found = "@" + hashlib.sha256("".join(parts).encode("utf-8", "surrogatepass")).hexdigest() + ";"
        self.seen[id(value)] = (value, found)
        return found


def digest(value) -> str:
    return Digests().of(value)
