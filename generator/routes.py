"""The route table: the site model → render jobs, each with the frozen context its pages are made of.

This module is the only one that reads the Site when pages are made: render.py sees a job's
context and config.yml, nothing else. A job's cache key is the digest of its context
(frozen.py) with the templates, config.yml and the toolchain, so what a page may show and what
its key covers are the same thing by construction: a template cannot read a part of the site its
key does not cover, because that part is not in its context.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from . import annual, disclosure, feeds, opendata, schema, traditional, validity
from .config import Category, Config
from .frozen import Table
from .model import Document, Site

GUIDE_COLUMN = "政府信息公开指南"  # the 公开目录 column of the 指南 documents (its name in the 国办 catalogue)


def category_url(category: Category) -> str:
    return "/".join(category.slugs) + "/"


def paged_url(base: str, number: int) -> str:
    return base if number == 1 else f"{base}page/{number}/"


def column_url(config: Config, category: Category) -> str:
    """Where a link to a column leads: with a guide in config.yml, the 指南 column's links go to
    guide/, the one 指南 page (which lists the column's documents); else the column's page."""
    return "guide/" if config.guide and category.name == GUIDE_COLUMN else category_url(category)


def guide_column(columns: tuple[Category, ...]) -> Category | None:
    """The 指南 column among the shown top-level columns, if any."""
    return next((c for c in columns if c.name == GUIDE_COLUMN), None)


def window(number: int, count: int, size: int = 5) -> list[int | None]:
    """The page numbers a paged list links: at most `size` around page `number` of `count`,
    with None where numbers are left out before or after them (shown as 「…」)."""
    start = max(1, min(number - size // 2, count - size + 1))
    end = min(count, start + size - 1)
    return [None] * (start > 1) + list(range(start, end + 1)) + [None] * (end < count)


@dataclass(frozen=True)
class Pagination:
    number: int
    count: int
    base: str  # the list's first page
    total: int  # documents in the whole list
    window: tuple

    def url(self, number: int) -> str:
        return paged_url(self.base, number)


@dataclass(frozen=True)
class PageContext:
    """One page (and its 长者模式 and 繁體 copies): all its templates read besides config.yml."""

    path: str  # output file, relative to the site root: "index.html", "doc/x/index.html"
    template: str
    source: str  # what it is made from, for messages
    columns: tuple[Category, ...]  # the columns readers see: every page's navigation links them
    values: Table  # the template's own variables
    absolute: bool = False  # links from the site root (the 404 page is served at any address)
    feed: str | None = None  # the Atom feed the page announces


@dataclass(frozen=True)
class DocumentContext:
    """A document's page, and what its search records are made of."""

    page: PageContext
    doc: Document
    table2: annual.Table2 | None = None  # a 年报's table 二, counted from other documents


@dataclass(frozen=True)
class FeedContext:
    path: str  # the feed file
    page: str  # the list page it follows
    title: str
    latest: tuple[Document, ...]
    updated: dt.date  # when an empty feed says it was updated


@dataclass(frozen=True)
class CatalogueContext:
    documents: tuple[Document, ...]


@dataclass(frozen=True)
class SitemapContext:
    listed: tuple  # (site path, date of its newest document), the 繁體 mirror's included


@dataclass(frozen=True)
class Job:
    """A unit of rendering: render.Renderer.make(job) yields its pages, from `context` alone."""

    id: str  # stable from build to build: what the job makes
    kind: str  # which maker renders it: page, document, feed, catalogue, sitemap (render.py)
    context: object  # one of the contexts above: frozen, every field in its digest
    record: str | None = None  # the document URL whose search record it yields (document jobs)
    listed: tuple = ()  # (site path, date of its newest document) of the pages it makes, for sitemap.xml


def jobs(site: Site, shards: tuple[str, ...] = ()) -> list[Job]:
    return _Routes(site, shards).jobs()


class _Routes:
    def __init__(self, site: Site, shards: tuple[str, ...]):
        self.site, self.config, self.shards = site, site.config, shards
        self.columns = site.shown_categories
        self.newest = site.documents[0].date if site.documents else site.build_date
        self.categories = {c.key: c for c in site.config.all_categories()}
        self.guide = guide_column(self.columns)

    def page(self, path: str, template: str, source: str, absolute: bool = False, feed: str | None = None,
             **values) -> PageContext:
        return PageContext(path, template, source, self.columns, Table(values.items()), absolute, feed)

    def simple(self, url: str, template: str, source: str, **values) -> Job:
        """A page of its own (not a list, not a document), listed in the sitemap."""
        path = url + "index.html" if url.endswith("/") or url == "" else url
        return Job("page:" + (path if url == "" else url), "page", self.page(path, template, source, **values),
                   listed=((url, self.newest),))

    def jobs(self) -> list[Job]:
        site, config = self.site, self.config
        jobs = [Job("page:index.html", "page", self.page(
            "index.html", "home.html", "首页", latest=site.documents[: config.latest_count], feed=feeds.NAME,
            shortcuts=self.shortcuts(), counts=self.counts(self.columns)), listed=(("", self.newest),))]
        jobs.append(self.feed("", "全部文件", site.documents))
        for category in site.all_shown_categories():  # with hide_empty_columns, only columns with documents
            docs = site.by_category.get(category.key, ())
            jobs += self.listing(category_url(category), "category.html", f"公开目录 {category.key}", docs,
                                 category=category, crumbs=self.crumbs(category),
                                 feed=category_url(category) + feeds.NAME, counts=self.counts(category.children),
                                 rules_count=len(site.current_rules), ended_count=len(site.ended))
            jobs.append(self.feed(category_url(category), category.key, docs))
        agency_counts, years = self.agency_counts(), self.years()
        jobs.append(self.simple("agency/", "agencies.html", "发布机构索引", agency_counts=agency_counts))
        for agency in config.agencies:
            docs = site.by_agency.get(agency.slug, ())
            jobs += self.listing(f"agency/{agency.slug}/", "listing.html", f"发布机构 {agency.name}", docs,
                                 heading=agency.name, crumbs=(("按发布机构", "agency/"),),
                                 feed=f"agency/{agency.slug}/{feeds.NAME}")
            jobs.append(self.feed(f"agency/{agency.slug}/", agency.name, docs))
        jobs.append(self.simple("year/", "years.html", "年份索引", years=years))
        for year, docs in site.by_year.items():
            jobs += self.listing(f"year/{year}/", "listing.html", f"年份 {year}", docs,
                                 heading=f"{year}年", crumbs=(("按年份", "year/"),))
        jobs += [self.document(doc) for doc in site.documents]
        everything = self.counts(tuple(site.all_shown_categories()))
        # What both search pages offer to filter by: the search/all/ page adds other columns.
        searched = dict(facets=self.facets(), shards=self.shards, counts=everything, agency_counts=agency_counts,
                        years=years)
        jobs += [
            self.simple("rules/current/", "rules.html", "现行有效规范性文件目录", heading="现行有效规范性文件目录",
                        docs=site.current_rules, ended_list=False, build_date=site.build_date,
                        successors=self.successors(site.current_rules)),
            self.simple("rules/ended/", "rules.html", "废止和失效文件", heading="废止和失效文件",
                        docs=site.ended, ended_list=True, build_date=site.build_date,
                        successors=self.successors(site.ended)),
            self.simple("search/", "search.html", "搜索", federation=(), **searched),
            *([self.simple("search/all/", "search.html", "联合搜索", federation=config.federation, **searched)]
              if config.federation else []),
            self.simple("accessibility/", "accessibility.html", "无障碍声明"),
            self.simple("sitemap/", "sitemap.html", "网站地图", counts=everything, agency_counts=agency_counts,
                        years=years, rules_count=len(site.current_rules), ended_count=len(site.ended)),
            Job("data:catalogue", "catalogue", CatalogueContext(site.documents)),
            self.simple(opendata.PAGE, "data.html", "开放数据", fields=opendata.COLUMNS,
                        files=(opendata.JSON, opendata.CSV), separator=opendata.SEPARATOR,
                        total=len(site.documents)),
        ]
        if config.guide:
            guide_docs = site.by_category.get(self.guide.key, ()) if self.guide else ()
            jobs.append(self.simple("guide/", "guide.html", "政府信息公开指南", guide=config.guide,
                                    guide_docs=guide_docs))
        jobs.append(Job("page:404.html", "page", self.page("404.html", "404.html", "404", absolute=True)))
        jobs.append(self.sitemap(jobs))
        return jobs

    def sitemap(self, jobs: list[Job]) -> Job:
        listed = tuple(entry for job in jobs for entry in job.listed)
        if self.config.traditional:  # the 繁體 mirror's pages too: readers are sent there as well
            listed += tuple((traditional.PREFIX + url, date) for url, date in listed)
        return Job("page:sitemap.xml", "sitemap", SitemapContext(listed))

    def feed(self, page: str, title: str, docs) -> Job:
        """The Atom feed of a list page, in the page's folder (feeds.py)."""
        path = page + feeds.NAME
        return Job(f"feed:{path}", "feed", FeedContext(path, page, title, tuple(docs[:feeds.LATEST]), self.newest))

    def listing(self, base: str, template: str, source: str, docs, **values) -> list[Job]:
        """One job per page of a paged list."""
        size = self.config.page_size
        count = max(1, math.ceil(len(docs) / size))
        jobs = []
        for number in range(1, count + 1):
            shown = tuple(docs[(number - 1) * size: number * size])
            url = paged_url(base, number)
            pagination = Pagination(number, count, base, len(docs), tuple(window(number, count)))
            jobs.append(Job(f"list:{url}", "page", self.page(url + "index.html", template, source, docs=shown,
                                                             pagination=pagination, **values),
                            listed=((url, shown[0].date if shown else self.newest),)))
        return jobs

    def document(self, doc: Document) -> Job:
        site = self.site
        page = self.page(
            doc.url + "index.html", "document.html", str(doc.source), doc=doc,
            crumbs=self.crumbs(doc.category) + ((doc.category.name, category_url(doc.category)),),
            catalogue_entry=disclosure.is_catalogue_entry(doc),
            interprets=site.by_index.get(doc.interprets) if doc.interprets else None,
            superseded_by=site.by_index.get(doc.superseded_by) if doc.superseded_by else None,
            interpretations=tuple(site.interpretations.get(doc.index_no, ())),
            replaces=tuple(site.replaces.get(doc.index_no, ())), apply_url=self.apply_url())
        table2 = annual.table2(site, doc) if doc.annual is not None else None
        return Job("doc:" + doc.index_no, "document", DocumentContext(page, doc, table2), record=doc.url,
                   listed=((doc.url, doc.date),))

    def crumbs(self, category: Category) -> tuple[tuple[str, str], ...]:
        return tuple((name, category_url(self.categories["/".join(category.path[: i + 1])]))
                     for i, name in enumerate(category.path[:-1]))

    def counts(self, categories) -> Table:
        """Category key → how many documents its subtree holds."""
        return Table((c.key, len(self.site.by_category.get(c.key, ()))) for c in categories)

    def agency_counts(self) -> Table:
        return Table((a.slug, len(self.site.by_agency.get(a.slug, ()))) for a in self.config.agencies)

    def years(self) -> Table:
        """Year → how many documents, newest year first."""
        return Table((year, len(docs)) for year, docs in self.site.by_year.items())

    def successors(self, docs) -> Table:
        """索引号 → the document that replaces it, for the listed documents that name one."""
        return Table((d.superseded_by, self.site.by_index[d.superseded_by]) for d in docs
                     if d.superseded_by and d.superseded_by in self.site.by_index)

    def facets(self) -> Table:
        """Filter values that occur among published documents, in a fixed order."""
        docs = self.site.documents
        present = lambda values, attr: tuple(v for v in values if any(getattr(d, attr) == v for d in docs))  # noqa: E731
        return Table((("modes", present(disclosure.PUBLISHED_MODES, "mode")),
                      ("validities", present(schema.VALIDITIES, "validity")),
                      ("subjects", tuple(sorted({d.subject for d in docs if d.subject})))))

    def shortcuts(self) -> tuple[tuple[str, str, int], ...]:
        """The home page's entries to what readers look for most, found from the documents rather
        than from column names: the column most 解读 are in, the current-rules catalogue, the 指南,
        and the column the 年报 are in. (label, site path, how many documents) each."""
        site = self.site

        def column_of(docs) -> Category | None:
            counts: dict[str, int] = {}
            for doc in docs:
                counts[doc.category.key] = counts.get(doc.category.key, 0) + 1
            return self.categories[min(counts, key=lambda k: (-counts[k], k))] if counts else None
        found = []
        interpretations = column_of(d for d in site.documents if d.interprets)
        if interpretations:
            found.append(("政策解读", category_url(interpretations), len(site.by_category[interpretations.key])))
        if any(validity.is_normative(d) for d in site.documents):
            found.append(("现行有效规范性文件", "rules/current/", len(site.current_rules)))
        if site.config.guide:
            found.append((GUIDE_COLUMN, "guide/", 0))
        elif self.guide:
            found.append((GUIDE_COLUMN, category_url(self.guide), len(site.by_category.get(self.guide.key, ()))))
        reports = column_of(d for d in site.documents if d.annual is not None)
        if reports:
            found.append(("政府信息公开年报", category_url(reports), len(site.by_category[reports.key])))
        return tuple(found)

    def apply_url(self) -> str | None:
        """Where 依申请公开 entries send readers: config's apply_url, else the guide's how-to-apply
        section, else the 指南 column if any."""
        configured = self.config.apply_url
        if configured:
            return configured if configured.startswith(("http://", "https://")) else configured.lstrip("/")
        if self.config.guide:
            return "guide/#apply"
        return category_url(self.guide) if self.guide else None
