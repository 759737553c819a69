"""Atom feeds (RFC 4287): the whole site, each column of the 公开目录 and each agency, newest
first, so that readers and other portals can follow what is published.

依申请公开 entries are in the feeds as catalogue items: title, metadata and a link to the entry's
page, which says how to apply, and never a body (the gate has emptied it). Leaving them out would
hide from followers that the information exists, which the catalogue is there to say.
不予公开 documents never reach this module (disclosure.publishable).
"""
from __future__ import annotations

from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from . import disclosure, validity

LATEST = 50  # entries a feed holds: the newest documents of its scope
NAME = "feed.xml"  # a feed's file name, in the folder of the page it follows


def atom(base_url: str, site_name: str, path: str, page: str, title: str, docs, fallback, lang: str = "zh-CN") -> str:
    """The feed at site path `path` for the list page `page`, of the newest of `docs`; `base_url`
    is the root of the copy its links lead to (the 繁體 mirror's feeds lead into zh-hant/)."""
    latest = list(docs)[:LATEST]
    updated = _time(latest[0].date if latest else fallback)
    entries = "".join(_entry(base_url, doc) for doc in latest)
    feed_url = base_url + _path(path)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">\n'
        f"<id>{escape(feed_url)}</id>\n<title>{escape(site_name)} · {escape(title)}</title>\n"
        f"<updated>{updated}</updated>\n<link rel=\"self\" type=\"application/atom+xml\" href={quoteattr(feed_url)}/>\n"
        f"<link rel=\"alternate\" type=\"text/html\" href={quoteattr(base_url + _path(page))}/>\n"
        f"<author><name>{escape(site_name)}</name></author>\n{entries}</feed>\n")


def _entry(base_url: str, doc) -> str:
    url = base_url + _path(doc.url)
    if disclosure.is_catalogue_entry(doc):
        summary = "依申请公开的政府信息：本条只有目录信息，可以按页面上的说明依法申请获取。"
    else:
        summary = doc.summary or ""
    ended = validity.word(doc.validity)
    facts = "；".join(f"{k}：{v}" for k, v in (("索引号", doc.index_no), ("文号", doc.doc_no),
                                              ("发布机构", doc.agency_names), ("公开方式", doc.mode),
                                              ("有效性", ended)) if v)
    # A document no longer in force says so in its title: a feed reader shows nothing else.
    title = doc.title + (f"（{ended}）" if ended else "")
    return (f"<entry>\n<id>{escape(url)}</id>\n<title>{escape(title)}</title>\n"
            f"<updated>{_time(doc.date)}</updated>\n<link rel=\"alternate\" type=\"text/html\" href={quoteattr(url)}/>\n"
            f"<author><name>{escape(doc.agency_names)}</name></author>\n"
            f"<category term={quoteattr(doc.category.key)}/>\n"
            f"<summary type=\"text\">{escape((summary + ' ' if summary else '') + facts)}</summary>\n</entry>\n")


def _time(date) -> str:
    return f"{date.isoformat()}T00:00:00+08:00"  # a publication date, in Beijing time


def _path(path: str) -> str:
    return quote(path, safe="/~-_.")
