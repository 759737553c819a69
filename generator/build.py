"""A build: its settings (config.yml, the theme, the static files), the no-change check, then the
stages that make the site (stages.py, top to bottom: content → gate → site model → render →
write → swap), with the lock held and every file-system failure an editor's message."""
from __future__ import annotations

import datetime as dt
import errno
import gc
import hashlib
import os
import stat
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from . import disclosure
from .cache import FOLDER as cache_folder, Cache, Seen, generator_hash
from .config import Config, load_config
from .errors import BuildFailed, Report
from .output import overlaps, sweep

if TYPE_CHECKING:
    from . import search

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
    # Something changed: the stages that make the site (stages.py), imported only now. A build
    # with nothing to do answers before Jinja2, Markdown and the renderer are loaded, which
    # was half of its time at ten thousand documents.
    from . import stages  # noqa: PLC0415
    return stages.make(config, theme, statics, inputs, content_dir, output_dir, progress, processes, cache, report,
                       published, generator, started, clock)


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
