"""The 公开方式 gate: the one place that decides what may leave the building.

Every later stage (site model, rendering, writing, search) sees only what `publishable`
returns, so a document withheld here cannot reach any output file.
"""
from __future__ import annotations

import dataclasses

from .model import Document

FULL = "主动公开"  # published in full
ON_REQUEST = "依申请公开"  # a catalogue entry only: metadata and how to apply
WITHHELD = "不予公开"  # appears nowhere
PUBLISHED_MODES = (FULL, ON_REQUEST)


def publishable(documents: list[Document]) -> list[Document]:
    """The documents that may be published, each reduced to what may be shown of it."""
    result = []
    for doc in documents:
        if doc.mode == FULL:
            result.append(doc)
        elif doc.mode == ON_REQUEST:
            # Metadata only: the body, its summary, keywords, attachments and report tables stay in the building.
            result.append(dataclasses.replace(doc, body="", summary=None, keywords=(), attachments=(), annual=None))
        # WITHHELD and anything unknown: nothing at all.
    # A reference to a withheld document would leak its 索引号: drop it.
    published = {doc.index_no for doc in result}
    return [_without_dangling(doc, published) for doc in result]


def _without_dangling(doc: Document, published: set[str]) -> Document:
    changes = {key: None for key in ("interprets", "superseded_by") if getattr(doc, key) not in published}
    return dataclasses.replace(doc, **changes) if changes else doc


def is_catalogue_entry(doc: Document) -> bool:
    """True for 依申请公开 entries, whose page shows how to apply instead of a body."""
    return doc.mode == ON_REQUEST
