"""The stages of a build once something changed, in order: content → gate → site model → plan →
render → write → search index → publish → remember. build.py configures the build and answers
a build with nothing to do before this module (and Jinja2, Markdown, the renderer) is loaded."""
from __future__ import annotations

import errno
import hashlib
import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

import jinja2

from . import (checks, disclosure, frozen, incremental, lint, markup, names, new, output, postings, prepare, routes,
               search, traditional, workers)
from .build import BuildResult, _Inputs, _settings, _Stages, _FAULT_HINTS, build_date
from .cache import Cache, Made, State, Written
from .annual import AnnualData
from .config import Agency, Category, Config
from .content import downloadable, load_documents, private_files
from .errors import BuildFailed, Report
from .model import Attachment, Document
from .output import DoubleWrite, Staging
from .render import Renderer, environment
from .site import build_site


def make(config: Config, theme: Path, statics: list, inputs: _Inputs, content_dir: Path, output_dir: Path,
         progress: bool, processes: int, cache: Cache, report: Report, published: Callable[[], None] | None,
         generator: str, started: float, clock: _Stages) -> BuildResult:
    """The stages, in order. Each reads what the one before made; a stage that finds problems
    collects all of them, and the build stops after it with BuildFailed."""
    state = cache.load(generator)
    # content: every document, every problem of every file
    documents_cache = state.documents if state.config == inputs.config else {}
    documents, form = _content(config, content_dir, report, documents_cache, inputs.digests)
    if report.errors:
        raise BuildFailed(report)
    clock.done("读取")
    # gate and model: what may be published, as a site
    site = build_site(config, disclosure.publishable(documents), build_date(config))
    checks.check(site, report)
    # plan: the render jobs, and which of them the last build already made
    plan, shards, scripts = _plan(site, config, theme, inputs, state, cache, output_dir)
    clock.done("整理")
    # The site before last becomes the staging folder (output.Staging): a copy of output/ made
    # in the background after the last build, if there is one (prepare.py).
    keep = cache.previous if cache.recyclable() else None
    if keep is not None and output_dir.is_dir():
        prepare.take(output_dir, cache.root, keep)
    listed = output.LISTER.take(keep, cache.root / LISTED) if keep is not None else None
    staging = Staging(output_dir, recycle=keep if output_dir.is_dir() else None, listing=listed)
    indexing: list[_Indexing] = []  # the search indexing under way, for _reported to stop

    def index() -> None:  # in the background: Pagefind works while the other pages render and are placed
        indexing.append(_Indexing(shards, plan.record_keys, state, cache, staging, output_dir, processes,
                                  scripts, names.searched(config.agencies)))
    with _reported(config, output_dir, report, staging, indexing):
        # render: the jobs that changed, on every core; index once every search record is made
        finished = incremental.render(plan, staging, cache.record, _template_location, processes, progress, index)
        clock.done("生成页面")
        made = incremental.place(plan, finished, staging, output_dir)
        _copy_files(config, site, statics, form, staging)
        staging.settle(leave=SEARCH_FOLDERS)  # while Pagefind indexes
        clock.done("写入页面")
        done_shards: dict[str, Made] = {}
        index = indexing[0].finish(done_shards, site.documents, _cards(plan, made))
        staging.settle(within=SEARCH_FOLDERS)
        clock.done("建立索引")
        # publish: output/ replaced in one rename
        cache.forget()
        untidy = staging.commit(keep)
        clock.done("替换输出")
    if output.LISTER.ahead and keep is not None:
        output.LISTER.start(keep, cache.root / LISTED)  # the site before last: the next build's staging folder
    result = _result(documents, staging, started, report, clock, index, config, plan, cache)
    if published:
        published()
    # remember: the state the next build starts from. The new site is published: from here on
    # nothing may fail the build, it can only be slower next time.
    _remember(state, inputs, documents_cache, made, done_shards, staging, result, report, cache, plan, untidy)
    if len(staging.written) - staging.linked >= PREPARE_AFTER and keep is not None:
        prepare.start(output_dir, cache.root)  # the next build would relink all of those files
    return result


# The folders the search indexes are written into, last (the site's and the 繁體 mirror's).
SEARCH_FOLDERS = tuple(script + folder for script in ("", traditional.PREFIX) for folder in (search.BUNDLE, postings.FOLDER))

LISTED = "listed"  # in the cache: the token of a listing of `previous` (output.Lister)

# Files written anew (not shared with output/ before) from which the next build's staging folder
# is made in the background: at about 0.15 ms a file to relink, 2,000 cost the next build 0.3 s.
PREPARE_AFTER = 2000


# The digests the last build in this process computed (frozen.Digests.seen) of the values a
# next build can meet again (make serve: its documents and columns; content.py, config.py).
# Page contexts are made anew by every build: theirs are not kept.
_DIGESTS: dict[str, dict] = {}
_LASTING = frozenset({Document, Attachment, Category, Agency, AnnualData})


def _plan(site, config: Config, theme: Path, inputs: _Inputs, state: State, cache: Cache,
          output_dir: Path) -> tuple[incremental.Plan, dict, list]:
    """The render jobs (routes.py) and which of them to render (incremental.py); the Pagefind
    shards ({} without Pagefind) and the search indexes to build (traditional.indexes).

    A job's key is the digest of its context, with what every page is rendered with (the
    templates and config.yml; the toolchain keys the whole cache)."""
    env = environment([config.root / "templates", theme / "templates"])
    shards = search.plan_shards(site.documents, config.search_shard_size) if config.search_pagefind else {}
    jobs = routes.jobs(site, tuple(shards))
    digests = frozen.Digests(_DIGESTS.pop("last", None))
    keys = [hashlib.sha256(f"{inputs.rendering}|{job.id}|{job.kind}|{digests.of(job.context)}".encode()).hexdigest()
            for job in jobs]
    _DIGESTS["last"] = {key: seen for key, seen in digests.seen.items() if type(seen[0]) in _LASTING}
    scripts = traditional.indexes(config.traditional)
    kinds = [kind for _script, record, terms in scripts for kind in ((record, terms) if shards else (terms,))]
    make = Renderer(config, env).make
    return incremental.plan(jobs, keys, state.jobs, output_dir, cache.stored_records(), kinds, make), shards, scripts


def _copy_files(config: Config, site, statics: list, form: Path | None, staging: Staging) -> None:
    """The static files (and their 繁體 messages), the guide's form and the attachments."""
    converter = traditional.Converter(config.traditional) if config.traditional else None
    for rel, path in statics:
        staging.copy("static/" + rel, path, str(path))
        if converter and rel.endswith(".js"):  # their messages, for the 繁體 mirror
            converted = converter.text(path.read_text(encoding="utf-8"))
            staging.write(traditional.PREFIX + "static/" + rel, converted.encode("utf-8"), str(path))
    if form:
        staging.copy("files/" + config.guide.form, form, str(config.path))
    for doc in site.documents:
        for attachment in doc.attachments:
            if "files/" + attachment.rel not in staging.written:
                staging.copy("files/" + attachment.rel, attachment.source, str(doc.source))


def _cards(plan: incremental.Plan, made: dict[str, Made]) -> dict[tuple[str, str], str]:
    """(script, document URL) → the hash of its card, which the document's job wrote."""
    cards = {}
    for job in plan.jobs:
        for written in made[job.id].files if job.record else ():
            if found := postings.card_of(written.path):
                cards[found[0], job.record] = found[1]
    return cards


@contextmanager
def _reported(config: Config, output_dir: Path, report: Report, staging: Staging, indexing: list):
    """A failure while the new site is being made, as an editor's message: the staging folder
    is removed (once any Pagefind has stopped writing into it) and output/ stays as it was."""
    try:
        yield
    except BaseException as exc:
        _abandon(indexing[0] if indexing else None, staging)
        if isinstance(exc, DoubleWrite):
            report.add(*_source_place(exc.second, config), "E119",
                       f"{_source_name(exc.second, report)}生成的文件 {exc.path} 与 {_source_name(exc.first, report)}生成的文件重名",
                       "两个来源不能生成同一个网址：修改其中一个的索引号或目录 slug。")
        elif isinstance(exc, workers.WriteFailed) and exc.errno in (errno.EISDIR, errno.ENOTDIR, errno.EEXIST):
            report.add(*_source_place(exc.source, config), "E119",
                       f"{_source_name(exc.source, report)}生成的文件 {exc.path} 与另一个来源生成的文件或目录重名",
                       "两个来源不能生成同一个网址：修改其中一个的索引号或目录 slug。")
        elif isinstance(exc, workers.WriteFailed):
            report.add(exc.source or output_dir, 1, 1, "E013", f"写入 {exc.path} 失败：{exc.reason}",
                       _FAULT_HINTS.get(exc.errno, "检查输出目录所在磁盘的空间和权限。"))
        elif isinstance(exc, workers.RenderFailed):
            kind, _, name = exc.job.partition(":")
            page = _JOB_KINDS.get(kind, kind + "「{}」").format(name)
            report.add(exc.template, exc.line, 1, "E009", f"模板错误（生成{page}时）：{exc.message}",
                       "检查站点 templates/ 中覆盖的模板文件。")
        elif isinstance(exc, search.SearchIndexFailed):
            report.add(config.path, 1, 1, "E010", str(exc), "检查 Pagefind 是否已随 Gongkai 安装（pip install .）。")
        else:
            raise
        raise BuildFailed(report) from None


def _result(documents: list, staging: Staging, started: float, report: Report, clock: _Stages,
            index: search.IndexStats, config: Config, plan: incremental.Plan, cache: Cache) -> BuildResult:
    by_mode: dict[str, int] = {}
    for doc in documents:
        by_mode[doc.mode] = by_mode.get(doc.mode, 0) + 1
    pages = sum(1 for path in staging.written if path.endswith(".html") and not path.startswith(search.BUNDLE + "/"))
    return BuildResult(len(documents), by_mode, pages, len(staging.written), time.perf_counter() - started,
                       report, clock.stages, index, config.base_url,
                       rendered=len(plan.todo), reused=len(plan.jobs) - len(plan.todo), cache_damaged=cache.damaged)


def _remember(state: State, inputs: _Inputs, documents_cache: dict, made: dict, shards: dict, staging: Staging,
              result: BuildResult, report: Report, cache: Cache, plan: incremental.Plan, untidy: list[str]) -> None:
    """Save the state the next build starts from; a failure here is only a warning (W215)."""
    state.fingerprint, state.config, state.documents = inputs.fingerprint, inputs.config, documents_cache
    state.stats = inputs.stats
    state.jobs, state.shards = made, shards
    state.site = frozenset(staging.written)
    state.summary = {"documents": result.documents, "by_mode": result.by_mode, "pages": result.pages,
                     "files": result.files, "index": result.index,
                     "warnings": [(os.path.abspath(p.path), p.line, p.col, p.code, p.message, p.hint)
                                  for p in report.warnings]}
    try:
        cache.save(state)
        cache.prune_records(set(plan.record_keys.values()))
    except OSError as exc:
        untidy.append(f"{exc.filename or cache.root}: {exc.strerror}")
    for problem in untidy:
        report.warn(cache.root, 1, 1, "W215", f"网站已更新，但构建缓存或上一版网站没能整理：{problem}",
                    "下一次构建会完整重新生成并再次清理；检查这个目录的权限和磁盘空间。")


class _Indexing:
    """Every search shard: reused where its records did not change, else indexed again by
    Pagefind in the background, several at a time (one Pagefind process per indexing thread,
    shard after shard; a shard's index is deleted from it once written, so its memory stays bounded).
    The 繁體 mirror has an index of its own, of the same shards, under zh-hant/."""

    def __init__(self, shards: dict, record_keys: dict, state: State, cache: Cache, staging: Staging,
                 output_dir: Path, processes: int, scripts: list[tuple[str, str, str]], agencies: tuple = ()):
        self.shards, self.state, self.staging, self.output_dir = shards, state, staging, output_dir
        self.agencies = agencies  # agency names and short names, which search.js splits a query at
        self.cache, self.record_keys, self.scripts = cache, record_keys, scripts
        self.pages = len(record_keys)
        self.todo, self.keys = [], {}
        self.kept: set[str] = set()  # the postings sections this build uses, of every script
        for script, kind, _terms in scripts:
            for number, (name, docs) in enumerate(shards.items()):
                records = [(doc.url, record_keys[doc.url]) for doc in docs]
                shard = script + name  # its name in the build state
                self.keys[shard] = search.shard_key(f"{kind}|{name}", number == 0, records)
                if incremental.reusable(state.shards.get(shard), self.keys[shard], output_dir):
                    continue
                shutil.rmtree(self.bundle(script) / name, ignore_errors=True)  # Pagefind writes some names in place
                files = [(url, cache.record(record, kind)) for url, record in records]
                self.todo.append((script, name, files, number == 0))
        self.pool = ThreadPoolExecutor(max_workers=processes)
        self.services = search.Services()
        self.running = [self.pool.submit(search.build_shard, files, self.bundle(script) / name, len(files), primary,
                                         self.services)
                        for script, name, files, primary in self.todo]

    def stop(self) -> None:
        """Every shard indexed (or failed), then the Pagefind services closed."""
        self.pool.shutdown(wait=True)
        self.services.close()

    def bundle(self, script: str) -> Path:
        return self.staging.root / script / search.BUNDLE

    def finish(self, done: dict, documents: list, cards: dict[tuple[str, str], str]) -> search.IndexStats:
        """Write postings/ (while Pagefind indexes), then wait for Pagefind; `cards` names each
        document's card: (script, URL) → hash."""
        sections = {script: self.sections(script, terms, documents) for script, _kind, terms in self.scripts}
        self.cache.prune_sections(self.kept)
        sizes = [size for script, _kind, _terms in self.scripts for size in self.postings(script, sections[script], cards)]
        self.wait()
        rebuilt = {script + name for script, name, _files, _primary in self.todo}
        for script, _kind, _terms in self.scripts:
            for name in self.shards:
                shard = script + name
                if shard not in rebuilt:
                    done[shard] = self.state.shards[shard]
                    incremental.link(self.staging, self.output_dir, done[shard].files)
                    continue
                files = []
                for path in sorted((self.bundle(script) / name).rglob("*")):
                    if path.is_file():
                        rel = path.relative_to(self.staging.root).as_posix()
                        self.staging.register(rel, "search index")
                        st = path.stat()
                        files.append(Written(rel, "search index", st.st_ino, st.st_size, st.st_mtime_ns))
                done[shard] = Made(self.keys[shard], tuple(files))
        peak = max((future.result().peak_kib for future in self.running), default=0)
        files = [f for name in done for f in done[name].files]
        return search.IndexStats(self.pages, len(files) + len(sizes), sum(f.size for f in files) + sum(sizes),
                                 peak, len(self.shards) * len(self.scripts), len(self.todo))

    def sections(self, script: str, terms: str, documents: list) -> list[tuple[str, list, dict]]:
        """postings/ in sections (generator/postings.py): (name, documents, bucket parts); a
        section whose documents did not change comes from the cache."""
        self.buckets = postings.bucket_count(self.pages)
        sections = []
        for name, docs in search.plan_shards(documents, postings.SECTION_SIZE).items():
            records = [(doc.url, self.record_keys[doc.url]) for doc in docs]
            key = postings.section_key(script + name, self.buckets, records)
            parts = self.cache.section(key)
            if parts is None:
                parts = postings.section(name, [self.cache.record(k, terms).read_bytes() for _url, k in records],
                                         self.buckets)
                self.cache.save_section(key, parts)
            self.kept.add(key)
            sections.append((name, docs, parts))
        return sections

    def postings(self, script: str, sections: list, cards: dict) -> list[int]:
        """Write <script>postings/ (the cards are written by the document jobs); each document's
        row names its card. Returns the sizes of the files."""
        rows = [(name, [[doc.url, int(doc.date.strftime("%Y%m%d")), cards[script, doc.url]] for doc in docs], parts)
                for name, docs, parts in sections]
        written = postings.files(rows, self.buckets, self.pages, list(self.shards), self.agencies)
        published = self.state.site or frozenset()  # what output/ holds
        for rel, data in written.items():
            path = script + rel
            # Files named by their content's hash (all but index.json) are the same file if the name is.
            existing = f"{self.output_dir}/{path}"
            if path in published and rel != postings.INDEX and _size(existing) == len(data):
                self.staging.link(path, existing, "search index")
            else:
                self.staging.write(path, data, "search index")
        return [len(data) for data in written.values()]

    def wait(self) -> None:
        self.stop()
        for future in self.running:
            future.result()  # raises SearchIndexFailed


def _abandon(indexing: _Indexing | None, staging: Staging) -> None:
    """A failed build: let any Pagefind finish writing before its folder is removed."""
    if indexing is not None:
        indexing.stop()
    staging.discard()


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return -1


def check(config_path: Path, content_dir: Path) -> tuple[Report, int]:
    """Everything build validates, plus the lints, writing nothing: (report, documents read)."""
    report = Report()
    config, _theme = _settings(config_path, report)
    if config is None:
        return report, 0
    documents, _form = _content(config, content_dir, report)
    if report.errors:
        return report, len(documents)
    for doc in documents:
        lint.lint(doc, markup.to_html(doc.body) if doc.body.strip() else "", content_dir, report,
                  config.index_scheme or new.DEFAULT_SCHEME)
    checks.check(build_site(config, disclosure.publishable(documents), build_date(config)), report)
    return report, len(documents)


def _content(config: Config, content_dir: Path, report: Report, cache: dict | None = None,
             digests: dict | None = None) -> tuple[list, Path | None]:
    """Documents and the guide's form (see load_documents for cache and digests)."""
    documents = load_documents(config, content_dir, report, cache, digests)
    return documents, _guide_form(config, content_dir, report, documents)


def _guide_form(config: Config, content_dir: Path, report: Report, documents: list) -> Path | None:
    """The application form the guide offers for download, checked like an attachment."""
    if not (config.guide and config.guide.form):
        return None
    form = (content_dir / config.guide.form).resolve()
    if not form.is_relative_to(content_dir.resolve()) or not form.is_file():
        report.add(config.path, *config.where("guide.form"), "E011", f"找不到政府信息公开申请表「{config.guide.form}」",
                   "guide 的 form 写申请表文件相对于 content/ 的路径，文件要放在 content/ 内。")
        return None
    if not downloadable(form, content_dir.resolve()):
        report.add(config.path, *config.where("guide.form"), "E127", f"「{config.guide.form}」不能作为申请表下载：它是文档的源文件或隐藏文件",
                   "form 写申请表文件（Word、PDF 等）的路径。")
        return None
    withheld = private_files(documents).get(form)
    if withheld is not None:
        report.add(config.path, *config.where("guide.form"), "E128", f"申请表「{config.guide.form}」也是 {report.display(withheld.source)} 的附件，而那篇文件{withheld.mode}",
                   "申请表要单独存一份，不要与不公开文件的附件共用。")
        return None
    return form


def _source_place(source: str, config: Config) -> tuple[str, int, int]:
    """Where to point an editor for what a page was made from (render.Page.source): the file,
    or for a page made from config.yml (a column, an agency, a site page) the line there."""
    if os.path.isabs(source) or os.path.exists(source):
        return source, 1, 1
    kind, _, name = source.partition(" ")
    key = {"公开目录": "category", "发布机构": "agency"}.get(kind)
    line, col = config.where(f"{key}:{name}") if key else (1, 1)
    return str(config.path), line, col


def _source_name(source: str, report: Report) -> str:
    """A page's source as the message names it: a file by its path, a page of config.yml by its label."""
    return f"{report.display(source)} " if os.path.isabs(source) or os.path.exists(source) else f"「{source}」"


# How a render job (render.Job.id, "kind:name") is named in a template error.
_JOB_KINDS = {"doc": "索引号为「{}」的文档", "page": "页面「{}」", "list": "列表页「{}」", "feed": "订阅「{}」", "data": "开放数据「{}」"}


def _template_location(exc: jinja2.TemplateError) -> tuple[str, int]:
    """Syntax errors carry their place; runtime errors only in the traceback Jinja rewrites."""
    if getattr(exc, "filename", None):
        return exc.filename, exc.lineno or 1
    place = ("templates", 1)
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".html"):
            place = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return place
