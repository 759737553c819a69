"""A published document as search sees it: one structured record, built from the document and
the body the disclosure gate let through. Everything search publishes about a document comes
from this record and nothing else: its terms and filter values (generator/postings.py), the
card a result shows (its title, metadata and text, postings/d/), and the page Pagefind indexes
(themes/*/templates/search_record.html).

A 依申请公开 entry arrives here without its body (disclosure.body), so no search file can hold it.
"""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

from . import markup


# Pagefind answers only queries of one character, by title first (search.js): the title, the
# catalogue values and this much of the body are what it indexes. Indexing whole bodies cost
# about 4 s of CPU per 1,000 documents (2,000 records of the 10k bench: 8.4 s CPU whole, 2.9 s
# with 300 characters), for matches that rank under the title's anyway.
LEAD = 200


@dataclass(frozen=True)
class SearchRecord:
    url: str  # the document's address inside the site (no leading /)
    title: str
    date: str  # ISO
    index_no: str
    doc_no: str  # "" if none
    agencies: tuple[str, ...]  # full names
    aliases: tuple[str, ...]  # the short names readers search its agencies by (generator/names.py)
    category: tuple[str, ...]  # the path of its 公开目录, top first
    mode: str  # 公开方式
    validity: str
    subject: str  # 主题分类, "" if none
    text: str  # the body as plain text, a line per block; "" for a catalogue entry

    @property
    def agency_names(self) -> str:
        return "、".join(self.agencies)

    @property
    def paragraphs(self) -> list[str]:
        return self.text.split("\n") if self.text else []

    def lead(self) -> list[str]:
        """The body's opening paragraphs, LEAD characters at most: what Pagefind indexes of the
        text (search.py). postings/ holds the whole text."""
        lead, room = [], LEAD
        for paragraph in self.paragraphs:
            if room <= 0:
                break
            lead.append(paragraph[:room])
            room -= len(paragraph)
        return lead

    def catalogue(self) -> str:
        """The catalogue values one may search for (an 索引号, a 文号, an agency or its short name,
        the column), as a line of text after the body."""
        return "。".join([self.index_no, self.doc_no, *self.agencies, *self.aliases, self.category[-1]]) + "。"

    def facets(self) -> list[tuple[str, str]]:
        """(filter, value) pairs the search page's filters select by. search.js and the search
        page's form use the same names."""
        found = [("column", self.category[0])]
        found += [("category", "/".join(self.category[:depth])) for depth in range(1, len(self.category) + 1)]
        found += [("agency", name) for name in self.agencies]
        found += [("year", self.date[:4]), ("mode", self.mode), ("validity", self.validity)]
        if self.subject:
            found.append(("subject", self.subject))
        return found

    def card(self) -> bytes:
        """What a search result shows (search.js card()): a JSON object, keys sorted."""
        value = {"title": self.title, "date": self.date, "agency": self.agency_names, "doc_no": self.doc_no,
                 "index_no": self.index_no, "mode": self.mode, "validity": self.validity, "text": self.text}
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def of(doc, body_html: str, aliases: dict[str, tuple[str, ...]]) -> SearchRecord:
    """The record of a published document; `body_html` is the sanitised body the gate let through."""
    return SearchRecord(
        url=doc.url, title=doc.title, date=doc.date.isoformat(), index_no=doc.index_no, doc_no=doc.doc_no or "",
        agencies=tuple(a.name for a in doc.agencies),
        aliases=tuple(alias for a in doc.agencies for alias in aliases.get(a.name, ())),
        category=tuple(doc.category.path), mode=doc.mode, validity=doc.validity, subject=doc.subject or "",
        text=markup.plain(body_html))


# The fields a 繁體 mirror converts: what readers read. The URL, dates and codes stay as they are.
CONVERTED = ("title", "doc_no", "agencies", "aliases", "category", "mode", "validity", "subject", "text")


def converted(record: SearchRecord, texts) -> SearchRecord:
    """The record for the 繁體 mirror: `texts` converts a list of strings at once (traditional.Converter.texts)."""
    values = {name: getattr(record, name) for name in CONVERTED}
    out = iter(texts([v for value in values.values() for v in (value if isinstance(value, tuple) else (value,))]))
    return dataclasses.replace(record, **{name: tuple(next(out) for _ in value) if isinstance(value, tuple) else next(out)
                                          for name, value in values.items()})
