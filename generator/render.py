"""Site → HTML pages. Pure: templates in, (output path, bytes) out; no file is written here."""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import quote, urlsplit

import jinja2
import segno

from . import annual, disclosure, feeds, markup, names, opendata, postings, records, schema, sitemap, traditional, validity
from .config import Category
from .model import Document, Site


@dataclass(frozen=True)
class Job:
    """A unit of rendering: `make` yields its pages; `inputs` is what they are made of besides
    templates and config (which every key includes), so equal inputs give equal pages."""

    id: str  # stable from build to build: what the job makes
    inputs: tuple
    make: Callable[[], Iterator[Page]]
    record: str | None = None  # the document URL whose search record it yields (document jobs)
    listed: tuple = ()  # (site path, date of its newest document) of the pages it makes for sitemap.xml


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
# whose messages are converted (build.py writes them). Styles, attachments and data are shared.
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
    """The page address as an inline SVG QR code (segno), named for screen readers."""
    # Mask 0 always: every reader decodes any of the eight masks, and scoring all eight to pick
    # the best was three quarters of the time a document page took to render. Level M as asked:
    # trying higher levels that would fit costs a third more.
    svg = segno.make(address, error="m", mask=0, boost_error=False).svg_inline(
        scale=3, dark="#000", light="#fff", title=f"本页二维码，内容为本页地址：{address}", svgclass="qr")
    return svg.replace("<svg ", '<svg role="img" focusable="false" ', 1)


def category_url(category: Category) -> str:
    return "/".join(category.slugs) + "/"


def paged_url(base: str, number: int) -> str:
    return base if number == 1 else f"{base}page/{number}/"


GUIDE_COLUMN = "政府信息公开指南"  # the 公开目录 column of the 指南 documents (its name in the 国办 catalogue)


def window(number: int, count: int, size: int = 5) -> list[int | None]:
    """The page numbers a paged list links: at most `size` around page `number` of `count`,
    with None where numbers are left out before or after them (shown as 「…」)."""
    start = max(1, min(number - size // 2, count - size + 1))
    end = min(count, start + size - 1)
    return [None] * (start > 1) + list(range(start, end + 1)) + [None] * (end < count)


class Renderer:
    def __init__(self, site: Site, env: jinja2.Environment, shards: tuple[str, ...] = ()):
        self.site, self.env = site, env
        conversion = site.config.traditional
        self.variants = [Variant("", False), Variant("", True)]
        if conversion:
            self.variants += [Variant(traditional.PREFIX, False), Variant(traditional.PREFIX, True)]
        self.converter = traditional.Converter(conversion) if conversion else None
        self.shards = shards  # the search index's parts, which the search page loads
        self.pagefind = site.config.search_pagefind  # whether documents get a Pagefind page too
        self.base_path = urlsplit(site.config.base_url).path
        self.domain = urlsplit(site.config.base_url).hostname
        self.categories = {c.key: c for c in site.config.all_categories()}
        self._fingerprints: dict[str, str] = {}
        self.aliases = names.aliases(site.config.agencies)  # agency → the short names readers search by
        self.guide = next((c for c in site.shown_categories if c.name == GUIDE_COLUMN), None)

    def jobs(self) -> list[Job]:
        """The site as units of work, each with the inputs its pages are made from, so that a
        unit whose inputs did not change since the last build is not rendered again.

        A page reads other documents through `site` (counts, 解读 and 替代 links, 年报 tables):
        those inputs are named here, and pages that read the whole site depend on all of it."""
        site, fp = self.site, self.fingerprint
        everything = ("site", self.site_fingerprint())
        self.newest = site.documents[0].date if site.documents else site.build_date
        jobs = [Job("page:index.html", everything, lambda: self.page(
            "index.html", "home.html", "首页", latest=site.documents[: site.config.latest_count], feed=feeds.NAME,
            shortcuts=self.shortcuts()),
            listed=(("", self.newest),))]
        jobs.append(self.feed("", "全部文件", site.documents))
        for category in site.all_shown_categories():  # with hide_empty_columns, only columns with documents
            # A column page shows how many documents each child holds and, at the top level,
            # how many rules are in force or ended.
            counts = (tuple(len(site.by_category.get(c.key, ())) for c in category.children),
                      len(site.current_rules), len(site.ended))
            jobs += self.listing(category_url(category), "category.html", f"公开目录 {category.key}",
                                 site.by_category.get(category.key, ()), counts, category=category,
                                 crumbs=self.category_crumbs(category), feed=category_url(category) + feeds.NAME)
            jobs.append(self.feed(category_url(category), category.key, site.by_category.get(category.key, ())))
        jobs.append(Job("page:agency/index.html", everything,
                        lambda: self.page("agency/index.html", "agencies.html", "发布机构索引"),
                        listed=(("agency/", self.newest),)))
        for agency in site.config.agencies:
            jobs += self.listing(f"agency/{agency.slug}/", "listing.html", f"发布机构 {agency.name}",
                                 site.by_agency.get(agency.slug, ()), (), heading=agency.name,
                                 crumbs=[("按发布机构", "agency/")], feed=f"agency/{agency.slug}/{feeds.NAME}")
            jobs.append(self.feed(f"agency/{agency.slug}/", agency.name, site.by_agency.get(agency.slug, ())))
        jobs.append(Job("page:year/index.html", everything,
                        lambda: self.page("year/index.html", "years.html", "年份索引"),
                        listed=(("year/", self.newest),)))
        for year, docs in site.by_year.items():
            jobs += self.listing(f"year/{year}/", "listing.html", f"年份 {year}", docs, (),
                                 heading=f"{year}年", crumbs=[("按年份", "year/")])
        for doc in site.documents:
            related = [site.by_index.get(doc.interprets), site.by_index.get(doc.superseded_by),
                       *site.interpretations.get(doc.index_no, ()), *site.replaces.get(doc.index_no, ())]
            inputs = everything if doc.annual is not None else (fp(doc), tuple(fp(d) for d in related))
            jobs.append(Job("doc:" + doc.index_no, inputs, lambda doc=doc: self.document(doc), record=doc.url,
                            listed=((doc.url, doc.date),)))
        dated = everything + (site.build_date.isoformat(),)  # rules.html shows it (build.DATED_TEMPLATES)
        jobs += [
            Job("page:rules/current/", dated, lambda: self.page(
                "rules/current/index.html", "rules.html", "现行有效规范性文件目录",
                heading="现行有效规范性文件目录", docs=site.current_rules, ended_list=False),
                listed=(("rules/current/", self.newest),)),
            Job("page:rules/ended/", dated, lambda: self.page(
                "rules/ended/index.html", "rules.html", "废止和失效文件",
                heading="废止和失效文件", docs=site.ended, ended_list=True), listed=(("rules/ended/", self.newest),)),
            Job("page:search/", everything + (self.shards,), lambda: self.page(
                "search/index.html", "search.html", "搜索", facets=self.facets(), shards=self.shards, federation=()),
                listed=(("search/", self.newest),)),
            *([Job("page:search/all/", everything + (self.shards, site.config.federation), lambda: self.page(
                "search/all/index.html", "search.html", "联合搜索", facets=self.facets(), shards=self.shards,
                federation=site.config.federation), listed=(("search/all/", self.newest),))]
              if site.config.federation else []),
            Job("page:accessibility/", everything, lambda: self.page(
                "accessibility/index.html", "accessibility.html", "无障碍声明"), listed=(("accessibility/", self.newest),)),
            Job("page:sitemap/", everything, lambda: self.page(
                "sitemap/index.html", "sitemap.html", "网站地图"), listed=(("sitemap/", self.newest),)),
        ]
        jobs += [
            Job("data:catalogue", everything, lambda: iter([
                Page(opendata.JSON, opendata.catalogue_json(site.config.name, site.config.base_url, site.documents),
                     "开放数据"),
                Page(opendata.CSV, opendata.catalogue_csv(site.config.base_url, site.documents), "开放数据")])),
            Job("page:" + opendata.PAGE, everything, lambda: self.page(
                opendata.PAGE + "index.html", "data.html", "开放数据", columns=opendata.COLUMNS,
                files=(opendata.JSON, opendata.CSV), separator=opendata.SEPARATOR),
                listed=((opendata.PAGE, self.newest),)),
        ]
        if site.config.guide:
            jobs.append(Job("page:guide/", everything, lambda: self.page(
                "guide/index.html", "guide.html", "政府信息公开指南", guide=site.config.guide),
                listed=(("guide/", self.newest),)))
        jobs.append(Job("page:404.html", everything, lambda: self.page("404.html", "404.html", "404", absolute=True)))
        if site.config.hide_empty_columns:
            # Which columns exist then depends on the documents, and every page's navigation links
            # them: every unit depends on the shown tree (else config.yml, in every key, decides it).
            shown = repr([c.key for c in site.all_shown_categories()])
            shown = ("columns", hashlib.sha256(shown.encode()).hexdigest())
            jobs = [replace(job, inputs=job.inputs + (shown,)) for job in jobs]
        listed = tuple(entry for job in jobs for entry in job.listed)
        if self.converter:  # the 繁體 mirror's pages too: readers are sent there as well
            listed += tuple((traditional.PREFIX + url, date) for url, date in listed)
        jobs.append(Job("page:sitemap.xml", (hashlib.sha256(repr(listed).encode()).hexdigest(),),
                        lambda: (Page(path, data, "sitemap") for path, data in
                                 sitemap.files(site.config.base_url, list(listed)))))
        return jobs

    def fingerprint(self, doc: Document | None) -> str:
        """What a document's pages are made of besides templates and config: its file, the
        attachments it lists (their sizes are shown), and its state on the build date. A
        short hash, computed once: list pages and related documents ask for it again and again."""
        if doc is None:
            return ""
        found = self._fingerprints.get(doc.index_no)
        if found is None:
            state = (doc.digest, doc.validity, str(doc.ended), doc.interprets, doc.superseded_by,
                     tuple((a.rel, a.size) for a in doc.attachments))
            found = self._fingerprints[doc.index_no] = hashlib.sha256(repr(state).encode()).hexdigest()[:24]
        return found

    def site_fingerprint(self) -> str:
        digest = hashlib.sha256()
        for doc in self.site.documents:
            digest.update(self.fingerprint(doc).encode())
        return digest.hexdigest()

    def holds_rules(self, category: Category) -> bool:
        """Whether the current-rules catalogue belongs under this column: it holds 规章 or 行政规范性文件."""
        return any(c.name in validity.NORMATIVE for c in category.walk())

    def facets(self) -> dict:
        """Filter values that occur among published documents, in a fixed order."""
        docs = self.site.documents
        present = lambda values, attr: [v for v in values if any(getattr(d, attr) == v for d in docs)]  # noqa: E731
        return {"modes": present(disclosure.PUBLISHED_MODES, "mode"),
                "validities": present(schema.VALIDITIES, "validity"),
                "subjects": sorted({d.subject for d in docs if d.subject})}

    def page(self, path: str, template: str, source: str, absolute: bool = False, feed: str | None = None,
             **context) -> Iterator[Page]:
        """The page, then its 长者模式 twin under elder/ (a URL of its own, so that the mode
        holds from page to page with JavaScript off), then, with `traditional`, both again in
        繁體 under zh-hant/. Links on a copy stay among its kind; assets are shared."""
        url = path.removesuffix("index.html")
        template_ = self.env.get_template(template)
        config = self.site.config
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

            values = {k: v.make(variant, link) if isinstance(v, PerVariant) else v for k, v in context.items()}
            html = template_.render(
                site=self.site, config=config, page_url=url, url=link, category_url=category_url,
                column_url=self.column_url, guide_column=self.guide,
                normative=validity.is_normative, holds_rules=self.holds_rules, site_domain=self.domain,
                canonical=config.base_url + variant.script + url, elder=variant.elder, variant=variant, feed=feed,
                lang=traditional.lang(variant.script), site_root=to(""),
                mode_switch=to(Variant(variant.script, not variant.elder).prefix + url),
                script_switch=to(Variant("" if variant.script else traditional.PREFIX, variant.elder).prefix + url)
                if config.traditional else None,
                alternates=(("zh-Hans", config.base_url + url), (traditional.LANG, config.base_url + traditional.PREFIX + url))
                if config.traditional else (), **values)
            if variant.script:
                html = self.converter.html(html)
            yield Page(variant.prefix + path, html.encode("utf-8"), source)

    def feed(self, page: str, title: str, docs) -> Job:
        """The Atom feed of a list page (generator/feeds.py), in the page's folder; with
        `traditional`, the 繁體 mirror's too, whose entries lead into the mirror."""
        latest = tuple(docs[:feeds.LATEST])
        path = page + feeds.NAME
        config = self.site.config

        def make() -> Iterator[Page]:
            atom = feeds.atom(config.base_url, config.name, path, page, title, latest, self.newest)
            yield Page(path, atom.encode("utf-8"), f"订阅 {title}")
            if self.converter:
                atom = feeds.atom(config.base_url + traditional.PREFIX, config.name, path, page, title, latest,
                                  self.newest, lang=traditional.LANG)
                yield Page(traditional.PREFIX + path, self.converter.text(atom).encode("utf-8"), f"订阅 {title}")
        return Job(f"feed:{path}", (tuple(self.fingerprint(d) for d in latest), self.newest.isoformat()), make)

    def listing(self, base: str, template: str, source: str, docs, counts: tuple, **context) -> list[Job]:
        """One job per page of a paged list; a page depends on the documents it shows (and the
        documents that replace them, named in their validity line) and on the list's length."""
        size = self.site.config.page_size
        count = max(1, math.ceil(len(docs) / size))
        jobs = []
        for number in range(1, count + 1):
            shown = docs[(number - 1) * size: number * size]
            pagination = {"number": number, "count": count, "base": base, "total": len(docs),
                          "window": window(number, count), "url": lambda n, base=base: paged_url(base, n)}
            inputs = (len(docs), counts, tuple(self.fingerprint(d) for d in shown),
                      tuple(self.fingerprint(self.site.by_index.get(d.superseded_by)) for d in shown))
            jobs.append(Job(f"list:{paged_url(base, number)}", inputs, lambda number=number, shown=shown, pagination=pagination: self.page(
                paged_url(base, number) + "index.html", template, source, docs=shown, pagination=pagination, **context),
                listed=((paged_url(base, number), shown[0].date if shown else self.newest),)))
        return jobs

    def category_crumbs(self, category: Category) -> list[tuple[str, str]]:
        return [(name, category_url(self.categories["/".join(category.path[: i + 1])]))
                for i, name in enumerate(category.path[:-1])]

    def document(self, doc: Document) -> Iterator[Page]:
        """The document's pages, then its search records and terms (indexed, never published):
        one for the site and, with `traditional`, one for the 繁體 mirror's own index."""
        site = self.site
        crumbs = self.category_crumbs(doc.category) + [(doc.category.name, category_url(doc.category))]
        source = disclosure.body(doc)
        body = markup.to_html(source) if source.strip() else ""
        text = body  # for the search records: the annual tables are not searched
        if doc.annual is not None:
            body = yield from self.annual_report(doc, body)
        base = site.config.base_url
        qr = {script: qr_svg(base + script + doc.url) for script in {v.script for v in self.variants}}
        yield from self.page(doc.url + "index.html", "document.html", str(doc.source), doc=doc, crumbs=crumbs,
                             body=body, qr=PerVariant(lambda variant, _link: qr[variant.script]),
                             catalogue_entry=disclosure.is_catalogue_entry(doc),
                             interprets=site.by_index.get(doc.interprets) if doc.interprets else None,
                             superseded_by=site.by_index.get(doc.superseded_by) if doc.superseded_by else None,
                             interpretations=site.interpretations.get(doc.index_no, ()),
                             replaces=site.replaces.get(doc.index_no, ()),
                             apply_url=self.apply_url())
        # What search holds of it: a record per index (the site's, and the 繁體 mirror's), its
        # card published under postings/d/, and its Pagefind page and terms kept in the build cache.
        record = records.of(doc, text, self.aliases)
        for script, record_kind, terms_kind in traditional.indexes(site.config.traditional):
            if script:
                record = records.converted(record, self.converter.texts)
            card = record.card()
            yield Page(postings.card_path(script, card), card, str(doc.source))
            if self.pagefind:
                page = self.env.get_template("search_record.html").render(record=record, lang=traditional.lang(script))
                yield Page(script + doc.url + "index.html", page.encode("utf-8"), str(doc.source), private=record_kind)
            yield Page(script + doc.url + "terms", postings.document_terms(record), str(doc.source), private=terms_kind)

    def annual_report(self, doc: Document, body: str):
        """Yield the report's tables as CSV files; return the body (per copy of the page: the
        CSV links differ) with each table placed after its section heading (二、三、四), or at
        the end where the editor wrote no such heading."""
        data = doc.annual
        t2, t3, t4 = annual.table2(self.site, doc), annual.table3(data), annual.table4(data)
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

    def column_url(self, category: Category) -> str:
        """Where a link to a column leads: with a guide in config.yml, the 指南 column's links go
        to guide/, the one 指南 page (which lists the column's documents); else the column's page."""
        return "guide/" if self.site.config.guide and category.name == GUIDE_COLUMN else category_url(category)

    def shortcuts(self) -> list[tuple[str, str, int]]:
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
        return found

    def apply_url(self) -> str | None:
        """Where 依申请公开 entries send readers: config's apply_url, else the guide's how-to-apply
        section, else the 指南 column if any."""
        configured = self.site.config.apply_url
        if configured:
            return configured if configured.startswith(("http://", "https://")) else configured.lstrip("/")
        if self.site.config.guide:
            return "guide/#apply"
        return category_url(self.guide) if self.guide else None
