"""The site model: frozen documents and the indexes built over them."""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path

from . import frozen
from .config import Agency, Category, Config


@dataclass(frozen=True)
class Attachment:
    source: Path  # absolute path of the file in content/
    rel: str  # path relative to content/, POSIX style; also its place under files/ in the output
    size: int

    @property
    def kind(self) -> str:
        return (Path(self.rel).suffix.lstrip(".") or "文件").upper()


@dataclass(frozen=True)
class Document:
    source: Path
    title: str
    index_no: str
    category: Category
    agencies: tuple[Agency, ...]
    date: dt.date
    mode: str
    written: dt.date | None = None
    doc_no: str | None = None
    validity: str = "有效"
    valid_until: dt.date | None = None
    ended: dt.date | None = None  # since when it is no longer 有效; computed for an expired 有效期至
    subject: str | None = None
    keywords: tuple[str, ...] = ()
    summary: str | None = None
    attachments: tuple[Attachment, ...] = ()
    interprets: str | None = None
    superseded_by: str | None = None
    annual: object = None  # annual.AnnualData for a 政府信息公开年报
    # Markdown source; the gate empties it where it may not be published; None: not kept by the
    # build cache, and then readable only through the gate (disclosure.ReleasedBody). A page's key
    # (frozen.py) takes the source file's digest for it, which is there either way.
    body: object = field(default="", metadata=frozen.LEAVE_OUT)
    body_line: int = 1
    lines: dict = field(default_factory=dict, compare=False, hash=False)  # field key → line, for messages
    digest: str = field(default="", compare=False, metadata=frozen.PUT_IN)  # sha256 of the source file

    @property
    def url(self) -> str:
        return "doc/" + permalink(self.index_no) + "/"

    @property
    def sort_key(self):
        """Newest first; ties broken by 索引号, which is unique."""
        return (-self.date.toordinal(), self.index_no)

    @property
    def agency_names(self) -> str:
        return "、".join(a.name for a in self.agencies)


def altered(doc: Document, **changes) -> Document:
    """The document with some fields set otherwise, made without running __init__:
    dataclasses.replace checks every field again, and the gate and the cache do this for every
    document of every build (ten times slower, at ten thousand documents a third of a second).
    Only for values of the field's own type: nothing here checks them."""
    new = object.__new__(Document)
    new.__dict__.update(doc.__dict__)
    new.__dict__.update(changes)
    return new


_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")


@functools.lru_cache(maxsize=None)  # pages ask for the same documents' URLs tens of thousands of times
def permalink(index_no: str) -> str:
    """索引号 → URL path, one folder per '/'-separated part.

    Injective, so distinct 索引号 never share a page: characters outside [A-Za-z0-9._-]
    (and '~' itself) become ~XX per UTF-8 byte, and a part starting with '.' is escaped so
    that '.' and '..' can never name a folder.
    """
    parts = []
    for part in index_no.split("/"):
        encoded = "".join(c if c in _SAFE else "".join(f"~{b:02X}" for b in c.encode()) for c in part)
        if encoded.startswith("."):
            encoded = "~2E" + encoded[1:]
        parts.append(encoded or "~")
    return "/".join(parts)


@dataclass(frozen=True)
class Site:
    """What the renderer sees: only documents that passed the disclosure gate."""

    config: Config
    documents: tuple[Document, ...]  # sorted by Document.sort_key
    build_date: dt.date
    by_index: dict = field(compare=False, hash=False)  # 索引号 → Document
    by_category: dict = field(compare=False, hash=False)  # Category.key → documents in the subtree
    by_agency: dict = field(compare=False, hash=False)  # Agency.slug → documents
    by_year: dict = field(compare=False, hash=False)  # year → documents
    interpretations: dict = field(compare=False, hash=False)  # 索引号 → 解读 documents of it
    replaces: dict = field(compare=False, hash=False)  # 索引号 → documents it supersedes
    current_rules: tuple = ()  # 规章 and 行政规范性文件 in force on the build date
    ended: tuple = ()  # documents 失效, 废止 or 已修订 on the build date
    # config.categories as readers see them: with hide_empty_columns, a column without documents
    # is left out at every level (its parent's `children` too). Pages, feeds, the sitemap and
    # every template iterate this, never config.categories.
    shown_categories: tuple[Category, ...] = ()

    def all_shown_categories(self):
        """Every shown column, each before its children (config.all_categories' order)."""
        for top in self.shown_categories:
            yield from top.walk()
