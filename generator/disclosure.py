"""The 公开方式 gate: the one place that decides what may leave the building.

Every later stage (site model, rendering, writing, search) sees only what `publishable`
returns, so a document withheld here cannot reach any output file. What a 依申请公开 entry
shows is an allow-list: the schema fields that declare `on_request=True`, nothing else. A field
added later is kept in the building until someone decides otherwise. A body is read from its
file only through `ReleasedBody`, which only this module makes, for 主动公开 documents.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

from . import schema
from .carried import Carried
from .model import Document, altered

FULL = "主动公开"  # published in full
ON_REQUEST = "依申请公开"  # a catalogue entry only: metadata and how to apply
WITHHELD = "不予公开"  # appears nowhere
PUBLISHED_MODES = (FULL, ON_REQUEST)

# Document attributes that are not schema fields: where the document came from, for messages
# and cache keys. None of them is shown to readers; model tests check that this list and the
# schema together name every attribute.
STRUCTURAL = ("source", "body", "body_line", "lines", "digest")


# What the gate made of a document, given back for the very same (frozen) document in the
# next build of this process (carried.py): a pure function of it, kept so that make serve's
# documents stay the same objects, whose digests are remembered.
_MADE = Carried()


@dataclasses.dataclass(frozen=True)
class ReleasedBody:
    """The body of a 主动公开 document that the build cache gave back without its text: read
    from its file when a page is rendered."""

    source: Path

    def read(self) -> str:
        from .content import read_body  # content imports nothing of the gate
        return read_body(self.source)


def publishable(documents: list[Document]) -> list[Document]:
    """The documents that may be published, each reduced to what may be shown of it."""
    result = []
    for doc in documents:
        if doc.mode == FULL:
            result.append(doc if isinstance(doc.body, str) else
                          _MADE.get(doc) or _MADE.put(doc, (), altered(doc, body=ReleasedBody(doc.source))))
        elif doc.mode == ON_REQUEST:
            result.append(_MADE.get(doc) or _MADE.put(doc, (), catalogue_entry(doc)))
        # WITHHELD and anything unknown: nothing at all.
    _MADE.turn()
    # A reference to a withheld document would leak its 索引号: drop it.
    published = {doc.index_no for doc in result}
    return [_without_dangling(doc, published) for doc in result]


def catalogue_entry(doc: Document) -> Document:
    """A 依申请公开 document as the public may see it: the fields the schema declares public on
    request, and an empty body."""
    kept = {f.name: getattr(doc, f.name) for f in schema.FIELDS if f.on_request}
    return Document(source=doc.source, body="", body_line=doc.body_line, lines=doc.lines, digest=doc.digest, **kept)


def body(doc: Document) -> str:
    """The Markdown body of a document the gate let through."""
    if isinstance(doc.body, str):
        return doc.body
    if isinstance(doc.body, ReleasedBody):
        return doc.body.read()
    raise TypeError("a document that did not pass the gate has no body to render")


def _without_dangling(doc: Document, published: set[str]) -> Document:
    changes = {key: None for key in ("interprets", "superseded_by")
               if getattr(doc, key) is not None and getattr(doc, key) not in published}
    return altered(doc, **changes) if changes else doc


def is_catalogue_entry(doc: Document) -> bool:
    """True for 依申请公开 entries, whose page shows how to apply instead of a body."""
    return doc.mode == ON_REQUEST
