"""The build, top to bottom: config → content → gate → site model → render → write → swap."""
from __future__ import annotations

import datetime as dt
import errno
import gc
import hashlib
import os
import resource
import shutil
import stat
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import jinja2

from . import (checks, disclosure, frozen, incremental, lint, markup, names, new, postings, prepare, routes, search,
               traditional, workers)
from .cache import FOLDER as cache_folder, Cache, Made, Seen, State, Written, generator_hash
from .config import Config, load_config
from .content import downloadable, load_documents, private_files
from .errors import BuildFailed, Report
from .output import DoubleWrite, Staging, overlaps, sweep
from .render import Renderer, environment
from .site import build_site

# The themes that ship with Gongkai: inside the installed package, or beside the source in a
# checkout (an editable install maps the package to generator/, the themes stay in themes/).
_HERE = Path(__file__).resolve().parent
THEMES = _HERE / "themes" if (_HERE / "themes").is_dir() else _HERE.parent / "themes"


@dataclass(frozen=True)
class BuildResult:
    documents: int  # read from content/
    by_mode: dict  # 公开方式 → count, before the gate
    pages: int  # HTML pages written
    files: int  # every file written
    seconds: float
    report: Report
    stages: dict  # stage name → seconds, in pipeline order
    index: search.IndexStats
    base_url: str
    rendered: int = 0  # render jobs run in this build
    reused: int = 0  # render jobs whose files the last build made, reused
    unchanged: bool = False  # nothing changed since the last build; output/ left as it was
    cache_damaged: bool = False  # the build cache could not be read back and was ignored

    def summary(self) -> str:
        modes = "，".join(f"{mode} {self.by_mode.get(mode, 0)}" for mode in
                         (disclosure.FULL, disclosure.ON_REQUEST, disclosure.WITHHELD))
        line = (f"构建完成：文档 {self.documents} 篇（{modes}），"
                f"页面 {self.pages} 个，文件 {self.files} 个，警告 {len(self.report.warnings)} 个，错误 0 个，"
                f"用时 {self.seconds:.2f} 秒")
        if self.unchanged:
            line += "（内容、模板和配置都没有变化，网站保持原样）"
        if self.cache_damaged:
            line = "构建缓存已损坏，已忽略并完整重新构建。\n" + line
        return line

    def details(self) -> str:
        """Where the time went, and what the search index cost (for -v and the benchmark)."""
        stages = "，".join(f"{name} {seconds:.2f} 秒" for name, seconds in self.stages.items())
        return (f"各阶段：{stages}\n"
                f"页面组：重新生成 {self.rendered} 组，沿用上次 {self.reused} 组\n"
                f"搜索索引：{self.index.pages} 篇，{self.index.files} 个文件，{self.index.bytes / 1048576:.1f} MiB，"
                f"{self.index.shards} 个分片（本次重建 {self.index.rebuilt} 个），"
                f"Pagefind 峰值内存 {self.index.peak_kib / 1024:.0f} MiB")


def build(config_path: Path, content_dir: Path, output_dir: Path, progress: bool = False,
          processes: int | None = None, published: Callable[[], None] | None = None) -> BuildResult:
    """Build the site into output_dir, or raise BuildFailed leaving output_dir untouched.

    What the last build made is reused where its inputs did not change (generator/cache.py).
    With progress, a bar on the terminal for builds that take longer than a second.
    `published` is called once the new site is in output/, before the state for the next build
    is saved (make serve reloads the open page then)."""
    report = Report()
    sources = config_path.resolve().parent
    # Before anything is touched: a build replaces output/ whole, so it must hold nothing else.
    _refuse_overlap(output_dir, [(content_dir, "内容目录", False), (sources, "config.yml 所在的目录", True),
                                 (sources / cache_folder, "构建缓存", False)], config_path, report)
    if report.errors:
        raise BuildFailed(report)
    cache = Cache(output_dir, sources)
    try:
        with cache.lock(), _collector_paused():
            sweep(output_dir)
            cache.prune_orphans()
            return _build(config_path, content_dir, output_dir, progress, processes, cache, report, published)
    except OSError as exc:
        raise BuildFailed(_fault(exc, output_dir)) from None


@contextmanager
def _collector_paused():
    """Python's cycle collector off while a build runs. A build makes millions of objects that
    live until it ends (the state, the documents, the site model) and next to no cycles (about
    5,000 objects in cycles after a cold build of 1,000 documents); the collector's passes over
    that growing heap were a quarter of an edit's time at 10,000 documents (6.1 s → 4.7 s), and
    in forked render workers they write to every inherited page. Objects are still freed when
    their last reference goes; the collector runs again once the build is over (make serve)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _refuse_overlap(output_dir: Path, folders: list[tuple[Path, str, bool]], config_path: Path, report: Report) -> None:
    for folder, label, inside_allowed in folders:
        if overlaps(output_dir, folder, inside_allowed):
            report.add(config_path, 1, 1, "E012", f"输出目录「{output_dir}」与{label}「{folder}」重叠",
                       "构建会整个替换输出目录，里面不能有内容、配置、模板或缓存：换一个输出目录，例如 output/。")


def _fault(exc: OSError, output_dir: Path) -> Report:
    """A file system refusal (full disk, no permission, read-only) as an editor's message."""
    report = Report()
    where = exc.filename or output_dir
    hint = _FAULT_HINTS.get(exc.errno, "检查这个文件或目录是否存在，运行构建的用户能否读写它。")
    report.add(where, 1, 1, "E013", f"读写文件失败：{exc.strerror or exc}", hint)
    return report


_FAULT_HINTS = {
    errno.ENOSPC: "磁盘已满：清理磁盘空间后重新构建。",
    errno.EDQUOT: "磁盘配额已用完：清理空间后重新构建。",
    errno.EACCES: "没有权限：检查这个文件或目录的权限，运行构建的用户要能读写它。",
    errno.EPERM: "不允许修改：检查这个文件或目录的权限，以及是否被设为不可修改（chattr +i）。",
    errno.EROFS: "文件系统是只读的：换一个可以写入的输出目录。",
    errno.ENAMETOOLONG: "文件名太长：缩短文件名或索引号。",
    errno.ELOOP: "链接指向自己（循环链接）：删除或改正这个链接。",
}


def _build(config_path: Path, content_dir: Path, output_dir: Path, progress: bool, processes: int | None,
           cache: Cache, report: Report, published: Callable[[], None] | None = None) -> BuildResult:
    """The stages, in order. Each reads what the one before made; a stage that finds problems
    collects all of them, and the build stops after it with BuildFailed."""
    started = time.perf_counter()
    clock = _Stages()
    processes = processes or os.cpu_count() or 1
    generator = generator_hash()
    # config: config.yml, the theme and the static files
    config, theme, statics = _configure(config_path, output_dir, report)
    # unchanged: nothing the site is made of changed since the last build
    last = cache.last(generator)
    inputs = _Inputs(config, theme, content_dir, last.stats if last else {})
    if last and last.fingerprint == inputs.fingerprint and output_dir.is_dir():
        return _unchanged(last.summary, report, started, config)
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
    staging = Staging(output_dir, recycle=keep if output_dir.is_dir() else None)
    indexing: list[_Indexing] = []  # the search indexing under way, for _reported to stop
    with _reported(config, output_dir, report, staging, indexing):
        # render: the jobs that changed, on every core
        finished = incremental.render(plan, staging, cache.record, _template_location, processes, progress)
        clock.done("生成页面")
        # index (in the background: Pagefind works while this process places the pages)
        indexing.append(_Indexing(shards, plan.record_keys, state, cache, staging, output_dir, processes,
                                  scripts, names.searched(config.agencies)))
        made = incremental.place(plan, finished, staging, output_dir)
        _copy_files(config, site, statics, form, staging)
        clock.done("写入页面")
        done_shards: dict[str, Made] = {}
        index = indexing[0].finish(done_shards, site.documents, _cards(plan, made))
        clock.done("建立索引")
        # publish: output/ replaced in one rename
        staging.prune()
        cache.forget()
        untidy = staging.commit(keep)
        clock.done("替换输出")
    result = _result(documents, staging, started, report, clock, index, config, plan, cache)
    if published:
        published()
    # remember: the state the next build starts from. The new site is published: from here on
    # nothing may fail the build, it can only be slower next time.
    _remember(state, inputs, documents_cache, made, done_shards, staging, result, report, cache, plan, untidy)
    if len(staging.written) - staging.linked >= PREPARE_AFTER and keep is not None:
        prepare.start(output_dir, cache.root)  # the next build would relink all of those files
    return result


# Files written anew (not shared with output/ before) from which the next build's staging folder
# is made in the background: at about 0.15 ms a file to relink, 2,000 cost the next build 0.3 s.
PREPARE_AFTER = 2000


def _configure(config_path: Path, output_dir: Path, report: Report) -> tuple[Config, Path, list]:
    """config.yml, the theme it names and the static files, or BuildFailed."""
    config, theme = _settings(config_path, report)
    if config is None:
        raise BuildFailed(report)
    _refuse_overlap(output_dir, [(theme, "主题目录", False), (config.root / "templates", "站点模板目录", False),
                                 (config.root / "static", "站点静态文件目录", False)], config_path, report)
    statics = _static_files(config, theme, report)
    if report.errors:
        raise BuildFailed(report)
    return config, theme, statics


def _plan(site, config: Config, theme: Path, inputs: _Inputs, state: State, cache: Cache,
          output_dir: Path) -> tuple[incremental.Plan, dict, list]:
    """The render jobs (routes.py) and which of them to render (incremental.py); the Pagefind
    shards ({} without Pagefind) and the search indexes to build (traditional.indexes).

    A job's key is the digest of its context, with what every page is rendered with (the
    templates and config.yml; the toolchain keys the whole cache)."""
    env = environment([config.root / "templates", theme / "templates"])
    shards = search.plan_shards(site.documents, config.search_shard_size) if config.search_pagefind else {}
    jobs = routes.jobs(site, tuple(shards))
    digests = frozen.Digests()
    keys = [hashlib.sha256(f"{inputs.rendering}|{job.id}|{job.kind}|{digests.of(job.context)}".encode()).hexdigest()
            for job in jobs]
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
    Pagefind in the background, several at a time (each Pagefind is one process of bounded size).
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
        self.running = [self.pool.submit(search.build_shard, files, self.bundle(script) / name, len(files), primary)
                        for script, name, files, primary in self.todo]

    def bundle(self, script: str) -> Path:
        return self.staging.root / script / search.BUNDLE

    def finish(self, done: dict, documents: list, cards: dict[tuple[str, str], str]) -> search.IndexStats:
        """Wait for Pagefind, then write postings/; `cards` names each document's card: (script, URL) → hash."""
        sections = {script: self.sections(script, terms, documents) for script, _kind, terms in self.scripts}
        self.cache.prune_sections(self.kept)
        self.wait()
        rebuilt = {script + name for script, name, _files, _primary in self.todo}
        sizes = []
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
        for script, _kind, _terms in self.scripts:
            sizes += self.postings(script, sections[script], cards)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if self.todo else 0
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
        self.pool.shutdown(wait=True)
        for future in self.running:
            future.result()  # raises SearchIndexFailed


def _abandon(indexing: _Indexing | None, staging: Staging) -> None:
    """A failed build: let any Pagefind finish writing before its folder is removed."""
    if indexing is not None:
        indexing.pool.shutdown(wait=True)
    staging.discard()


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return -1


class _Inputs:
    """Hashes of what a build reads: all of it (for the no-change check), config.yml (for the
    parsed documents) and what every page is rendered with (for each page's key).

    `known` holds each file's size, times, inode and hash as the last build saw them: a file
    whose size, times and inode are unchanged is not read again (as git does)."""

    def __init__(self, config: Config, theme: Path, content_dir: Path, known: dict):
        self.stats: dict[str, Seen] = {}  # for the next build
        config_bytes = config.path.read_bytes()
        self.config = hashlib.sha256(config_bytes).hexdigest()
        look = _tree_hash([theme, config.root / "templates", config.root / "static"], {}, known, self.stats)
        date = build_date(config).isoformat()
        # (What a page shows of the build date is in its context: the rules pages name it, and it
        # decides each document's validity. Another OpenCC, Markdown or Jinja2 renders differently
        # too: the cache is keyed on the versions of every library, generator/toolchain.py.)
        self.rendering = hashlib.sha256(f"{self.config}|{look}".encode()).hexdigest()
        self.digests: dict[str, str] = {}  # content file → sha256, so documents are not read twice
        content = _tree_hash([content_dir], self.digests, known, self.stats)
        # The date always: a document can expire overnight, and the rules pages show the date.
        self.fingerprint = hashlib.sha256(
            f"{self.rendering}|{content}|{content_dir.resolve()}|{date}".encode()).hexdigest()


SETTLED_NS = 2_000_000_000  # a file changed this recently may change again within the same clock tick


def _tree_hash(roots: list[Path], digests: dict[str, str], known: dict, stats: dict) -> str:
    """One hash over every file's path and bytes; each file's own hash goes into `digests`."""
    digest = hashlib.sha256()
    settled = time.time_ns() - SETTLED_NS
    for root in roots:
        digest.update(f"\0{root}\0".encode())
        if not root.is_dir():
            continue
        for folder, dirs, entries in os.walk(root):
            dirs.sort()
            for name in sorted(entries):
                path = os.path.join(folder, name)
                digest.update(path.encode("utf-8", "surrogateescape") + b"\0")
                try:
                    st = os.stat(path)
                    if not stat.S_ISREG(st.st_mode):  # a named pipe would block here for ever
                        raise OSError("not a regular file")
                    seen = (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)  # ctime: no tool sets it
                    before = known.get(path)
                    if before is not None and before[:4] == seen:
                        digests[path] = before.sha256
                    else:
                        with open(path, "rb") as f:
                            digests[path] = hashlib.sha256(f.read()).hexdigest()
                    if st.st_mtime_ns < settled:
                        stats[path] = Seen(*seen, digests[path])
                except OSError:
                    digests[path] = "?"
                digest.update(digests[path].encode())
    return digest.hexdigest()


def _unchanged(summary: dict, report: Report, started: float, config: Config) -> BuildResult:
    """Nothing the site is made of changed since the last build: output/ stands as it is."""
    for path, line, col, code, message, hint in summary["warnings"]:
        report.warn(path, line, col, code, message, hint)
    return BuildResult(summary["documents"], summary["by_mode"], summary["pages"], summary["files"],
                       time.perf_counter() - started, report, {"检查变化": time.perf_counter() - started},
                       summary["index"], config.base_url, unchanged=True)


class _Stages:
    """Wall time of each stage, for -v and the benchmark."""

    def __init__(self):
        self.stages: dict[str, float] = {}
        self.last = time.perf_counter()

    def done(self, name: str) -> None:
        now = time.perf_counter()
        self.stages[name] = now - self.last
        self.last = now


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


def _settings(config_path: Path, report: Report) -> tuple[Config, Path] | tuple[None, None]:
    """Config and theme folder; (None, None) when either has errors: content is then not read."""
    config = load_config(config_path, report)
    theme = _theme_dir(config, report) if config else None
    if config is None or report.errors:
        return None, None
    try:
        build_date(config)
    except ValueError:
        report.add(config.path, 1, 1, "E016", f"环境变量 SOURCE_DATE_EPOCH「{os.environ['SOURCE_DATE_EPOCH'][:40]}」不是有效的时间",
                   "SOURCE_DATE_EPOCH 写 1970 年以来的秒数（例如 1735689600 是 2025-01-01），或者不设置它。")
        return None, None
    return config, theme


def _content(config: Config, content_dir: Path, report: Report, cache: dict | None = None,
             digests: dict | None = None) -> tuple[list, Path | None]:
    """Documents and the guide's form (see load_documents for cache and digests)."""
    documents = load_documents(config, content_dir, report, cache, digests)
    return documents, _guide_form(config, content_dir, report, documents)


def build_date(config: Config) -> dt.date:
    """SOURCE_DATE_EPOCH, else config's build_date, else today in China: never a clock inside templates.
    Raises ValueError for a SOURCE_DATE_EPOCH that names no day (checked in _settings)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        if not epoch.isascii() or not epoch.isdigit() or len(epoch) > 12:
            raise ValueError(epoch)
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.timezone(dt.timedelta(hours=8))).date()
        except (OverflowError, OSError) as exc:
            raise ValueError(epoch) from exc
    if config.build_date:
        return dt.date.fromisoformat(config.build_date)
    return today()


def today() -> dt.date:
    """Today in China (UTC+8), whatever the machine's clock zone."""
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()


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


def _theme_dir(config: Config, report: Report) -> Path | None:
    for base in (config.root / "themes", THEMES):
        if (base / config.theme / "templates").is_dir():
            return base / config.theme
    report.add(config.path, *config.where("theme"), "E008", f"找不到主题「{config.theme}」",
               "theme 写 themes/ 下的主题目录名，例如 default。")
    return None


def _static_files(config: Config, theme: Path, report: Report) -> list[tuple[str, Path]]:
    """The theme's static/ files, overridden file by file by the site's own static/. A link is
    followed only where it stays inside the project or the theme: nothing else on the machine
    (/etc/passwd, a key) is ever published through one."""
    files: dict[str, Path] = {}
    allowed = (config.root.resolve(), theme.resolve())
    for base in (theme / "static", config.root / "static"):
        for folder, dirs, entries in os.walk(base):  # links to folders are not entered
            dirs.sort()
            for name in sorted(entries):
                path = Path(folder) / name
                try:
                    target = path.resolve(strict=True)
                    regular = stat.S_ISREG(os.stat(target).st_mode)
                except (OSError, RuntimeError):
                    target, regular = None, False
                if target is None or not any(target.is_relative_to(root) for root in allowed) or not regular:
                    report.add(path, 1, 1, "E015", "静态文件是指向项目以外的链接、损坏的链接，或者不是普通文件",
                               "把文件本身放进 static/；不要用链接引用项目以外的文件。")
                    continue
                files[path.relative_to(base).as_posix()] = target
    return sorted(files.items())
