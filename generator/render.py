"""Render jobs → pages. Pure: a job's context (routes.py) and the templates in, (output path,
bytes) out; no file is written here, and the site model is not in reach: what a page shows comes
from its context, which its cache key covers."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import quote, urlsplit

import jinja2

from . import annual, disclosure, feeds, markup, names, opendata, postings, qr, records, sitemap, traditional, validity
from .config import Config
from .routes import (CatalogueContext, DocumentContext, FeedContext, Job, PageContext, SitemapContext, category_url,
                     column_url, guide_column, paged_url)


@dataclass(frozen=True)
class Page:
    path: str  # output file, relative to the site root, POSIX
    content: bytes
    source: str  # what produced it, for double-write errors
    private: str = ""  # for the search index only, never published: the cache file's suffix (html: the
    # Pagefind record, search_record.html; terms: its terms for postings/)


def environment(search_path: list[Path]) -> jinja2.Environment:
    """Site templates first, then the theme's: a site overrides the theme file by file."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in search_path]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["filesize"] = filesize
    env.filters["validity_word"] = validity.word
    env.filters["cndate"] = lambda d: f"{d.year}年{d.month}月{d.day}日" if d else ""
    return env


def filesize(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def relative(target: str, current: str) -> str:
    """A link from page `current` to `target`, both site paths ("", "doc/x/", "static/a.css").

    What posixpath.relpath gives, computed on the parts: relpath normalises both paths against
    the working directory, and at tens of links a page it was the renderer's largest cost."""
    here = current.split("/")[:-1]  # the folders of the current page
    folder = target == "" or target.endswith("/")
    parts = target.split("/")[:-1] if folder else target.split("/")
    common = 0
    for a, b in zip(here, parts):
        if a != b:
            break
        common += 1
    rel = "/".join([".."] * (len(here) - common) + parts[common:]) or "."
    if folder:
        rel = "./" if rel == "." else rel + "/"
    return quote(rel, safe="/.~-_#?=&")


ELDER = "elder/"  # the 长者模式 twin of every page lives under this folder
SHARED = ("static/", "files/", "pagefind/", "postings/")  # assets both modes use
# What the 繁體 mirror has of its own besides pages: its search index, its feeds, and scripts
# whose messages are converted (stages.py writes them). Styles, attachments and data are shared.
MIRRORED = ("pagefind/", "postings/")


@dataclass(frozen=True)
class Variant:
    """One copy of every page: standard or 长者模式, Simplified or (with `traditional`) 繁體."""

    script: str  # "" or traditional.PREFIX
    elder: bool

    @property
    def mode(self) -> str:
        """The 长者模式 folder, or "": a page's copy is under script + mode."""
        return ELDER if self.elder else ""

    @property
    def prefix(self) -> str:
        return self.script + self.mode


class PerVariant:
    """A page's context value that differs between the copies: called with the Variant and
    the page's link function."""

    def __init__(self, make: Callable):
        self.make = make


def _is_page(target: str) -> bool:
    """Pages are folders ("", "doc/x/", "guide/#apply"); anything else is a file both modes share."""
    path = target.split("#", 1)[0].split("?", 1)[0]
    return (path == "" or path.endswith("/")) and not path.startswith(SHARED)


def _mirrored(target: str) -> bool:
    return (target.startswith(MIRRORED) or target.endswith(feeds.NAME)
            or (target.startswith("static/") and target.endswith(".js")))


def qr_svg(address: str) -> str:
    """The page address as an inline SVG QR code (qr.py), named for screen readers."""
    return qr.svg(address, f"本页二维码，内容为本页地址：{address}")


class Renderer:
    """Makes a job's pages from its context, config.yml and the templates alone."""

    def __init__(self, config: Config, env: jinja2.Environment):
        self.config, self.env = config, env
        self.variants = [Variant("", False), Variant("", True)]
        if config.traditional:
            self.variants += [Variant(traditional.PREFIX, False), Variant(traditional.PREFIX, True)]
        self.converter = traditional.Converter(config.traditional) if config.traditional else None
        self.pagefind = config.search_pagefind  # whether documents get a Pagefind page too
        self.base_path = urlsplit(config.base_url).path
        self.domain = urlsplit(config.base_url).hostname
        self.aliases = names.aliases(config.agencies)  # agency → the short names readers search by
        self.makers = {"page": self.page, "document": self.document, "feed": self.feed,
                       "catalogue": self.catalogue, "sitemap": self.sitemap}

    def make(self, job: Job) -> Iterator[Page]:
        return self.makers[job.kind](job.context)

    def page(self, context: PageContext, **rendered) -> Iterator[Page]:
        """The page, then its 长者模式 twin under elder/ (a URL of its own, so that the mode
        holds from page to page with JavaScript off), then, with `traditional`, both again in
        繁體 under zh-hant/. Links on a copy stay among its kind; assets are shared.

        `rendered`: values made here from the context (a document's body, its QR codes)."""
        path, absolute, config = context.path, context.absolute, self.config
        url = path.removesuffix("index.html")
        template_ = self.env.get_template(context.template)
        values = dict(context.values.items(), **rendered)
        columns = context.columns
        shared = dict(
            config=config, columns=columns, all_columns=tuple(c for top in columns for c in top.walk()),
            page_url=url, category_url=category_url, paged_url=paged_url,
            column_url=lambda category: column_url(config, category), guide_column=guide_column(columns),
            normative=validity.is_normative, holds_rules=holds_rules, site_domain=self.domain, feed=context.feed)
        for variant in self.variants:
            here = variant.prefix + url

            def to(target: str, here=here) -> str:  # a site path, as this copy of the page links it
                return quote(self.base_path + target, safe="/.~-_#?=&") if absolute else relative(target, here)

            def link(target: str, variant=variant, to=to) -> str:
                if target.startswith(("http://", "https://", "mailto:")):
                    return target
                if _is_page(target):
                    target = variant.prefix + target
                elif variant.script and _mirrored(target):
                    target = variant.script + target
                return to(target)

            own = {k: v.make(variant, link) if isinstance(v, PerVariant) else v for k, v in values.items()}
            html = template_.render(
                **shared, url=link, canonical=config.base_url + variant.script + url, elder=variant.elder,
                variant=variant, lang=traditional.lang(variant.script), site_root=to(""),
                mode_switch=to(Variant(variant.script, not variant.elder).prefix + url),
                script_switch=to(Variant("" if variant.script else traditional.PREFIX, variant.elder).prefix + url)
                if config.traditional else None,
                alternates=(("zh-Hans", config.base_url + url), (traditional.LANG, config.base_url + traditional.PREFIX + url))
                if config.traditional else (), **own)
            if variant.script:
                html = self.converter.html(html)
            yield Page(variant.prefix + path, html.encode("utf-8"), context.source)

    def feed(self, context: FeedContext) -> Iterator[Page]:
        """The Atom feed of a list page (generator/feeds.py); with `traditional`, the 繁體
        mirror's too, whose entries lead into the mirror."""
        config, path = self.config, context.path
        atom = feeds.atom(config.base_url, config.name, path, context.page, context.title, context.latest,
                          context.updated)
        yield Page(path, atom.encode("utf-8"), f"订阅 {context.title}")
        if self.converter:
            atom = feeds.atom(config.base_url + traditional.PREFIX, config.name, path, context.page, context.title,
                              context.latest, context.updated, lang=traditional.LANG)
            yield Page(traditional.PREFIX + path, self.converter.text(atom).encode("utf-8"), f"订阅 {context.title}")

    def catalogue(self, context: CatalogueContext) -> Iterator[Page]:
        config = self.config
        data, table = opendata.catalogue(config.name, config.base_url, context.documents)
        yield Page(opendata.JSON, data, "开放数据")
        yield Page(opendata.CSV, table, "开放数据")

    def sitemap(self, context: SitemapContext) -> Iterator[Page]:
        for path, data in sitemap.files(self.config.base_url, list(context.listed)):
            yield Page(path, data, "sitemap")

    def document(self, context: DocumentContext) -> Iterator[Page]:
        """The document's pages, then its search records and terms (indexed, never published):
        one for the site and, with `traditional`, one for the 繁體 mirror's own index."""
        doc = context.doc
        source = disclosure.body(doc)
        body = markup.to_html(source) if source.strip() else ""
        text = body  # for the search records: the annual tables are not searched
        if doc.annual is not None:
            body = yield from self.annual_report(doc, context.table2, body)
        base = self.config.base_url
        qr = {script: qr_svg(base + script + doc.url) for script in {v.script for v in self.variants}}
        yield from self.page(context.page, body=body, qr=PerVariant(lambda variant, _link: qr[variant.script]))
        # What search holds of it: a record per index (the site's, and the 繁體 mirror's), its
        # card published under postings/d/, and its Pagefind page and terms kept in the build cache.
        record = records.of(doc, text, self.aliases)
        for script, record_kind, terms_kind in traditional.indexes(self.config.traditional):
            if script:
                record = records.converted(record, self.converter.texts)
            card = record.card()
            yield Page(postings.card_path(script, card), card, str(doc.source))
            if self.pagefind:
                page = self.env.get_template("search_record.html").render(record=record, lang=traditional.lang(script))
                yield Page(script + doc.url + "index.html", page.encode("utf-8"), str(doc.source), private=record_kind)
            yield Page(script + doc.url + "terms", postings.document_terms(record), str(doc.source), private=terms_kind)

    def annual_report(self, doc, t2: annual.Table2, body: str):
        """Yield the report's tables as CSV files; return the body (per copy of the page: the
        CSV links differ) with each table placed after its section heading (二、三、四), or at
        the end where the editor wrote no such heading."""
        data = doc.annual
        t3, t4 = annual.table3(data), annual.table4(data)
        macros = self.env.get_template("partials/annual_tables.html").module
        tables = (("主动公开政府信息情况", "table-2.csv", lambda csv: macros.table2(t2, data, csv), annual.csv2(t2, data)),
                  ("收到和处理政府信息公开申请", "table-3.csv", lambda csv: macros.table3(t3, annual.APPLICANTS, csv),
                   annual.csv3(t3)),
                  ("行政复议、行政诉讼", "table-4.csv", lambda csv: macros.table4(t4, annual.OUTCOMES, csv), annual.csv4(t4)))
        for _heading, name, _html, rows in tables:
            yield Page(doc.url + name, annual.csv_bytes(rows), str(doc.source))

        def placed(_variant: Variant, link: Callable[[str], str]) -> str:
            html = body
            for heading, name, table, _rows in tables:
                html = annual.place(html, heading, str(table(link(doc.url + name))))
            return html
        return PerVariant(placed)


def holds_rules(category) -> bool:
    """Whether the current-rules catalogue belongs under this column: it holds 规章 or 行政规范性文件."""
    return any(c.name in validity.NORMATIVE for c in category.walk())
