"""The build, top to bottom: config → content → gate → site model → render → write → swap."""
from __future__ import annotations

import datetime as dt
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import jinja2
from tqdm import tqdm

from . import checks, disclosure, lint, markup, new, search
from .config import Config, load_config
from .content import load_documents
from .errors import BuildFailed, Report
from .output import DoubleWrite, Staging
from .render import Renderer, environment
from .site import build_site

THEMES = Path(__file__).resolve().parent.parent / "themes"  # the themes that ship with Gongkai


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

    def summary(self) -> str:
        modes = "，".join(f"{mode} {self.by_mode.get(mode, 0)}" for mode in
                         (disclosure.FULL, disclosure.ON_REQUEST, disclosure.WITHHELD))
        return (f"构建完成：文档 {self.documents} 篇（{modes}），"
                f"页面 {self.pages} 个，文件 {self.files} 个，警告 {len(self.report.warnings)} 个，错误 0 个，"
                f"用时 {self.seconds:.2f} 秒")

    def details(self) -> str:
        """Where the time went, and what the search index cost (for -v and the benchmark)."""
        stages = "，".join(f"{name} {seconds:.2f} 秒" for name, seconds in self.stages.items())
        return (f"各阶段：{stages}\n"
                f"搜索索引：{self.index.pages} 篇，{self.index.files} 个文件，{self.index.bytes / 1048576:.1f} MiB，"
                f"Pagefind 峰值内存 {self.index.peak_kib / 1024:.0f} MiB")


def build(config_path: Path, content_dir: Path, output_dir: Path, progress: bool = False) -> BuildResult:
    """Build the site into output_dir, or raise BuildFailed leaving output_dir untouched.

    With progress, a bar on the terminal for builds that take longer than a second."""
    started = time.perf_counter()
    clock = _Stages()
    report = Report()
    # Every document is read and checked before anything is rendered.
    config, theme, documents, form = _read(config_path, content_dir, report)
    if report.errors:
        raise BuildFailed(report)
    clock.done("读取")

    published = disclosure.publishable(documents)
    site = build_site(config, published, build_date(config))
    checks.check(site, report)
    env = environment([config.root / "templates", theme / "templates"])

    staging = Staging(output_dir)
    records = Staging(staging.root / search.RECORDS)  # scratch for the index, deleted before the swap
    try:
        pages = 0
        pages_done = tqdm(Renderer(site, env).pages(), desc="生成页面", unit="页", delay=1, leave=False,
                          disable=not (progress and sys.stderr.isatty()))
        for page in pages_done:
            if page.search_record:
                records.write(page.path, page.content, page.source)
                continue
            staging.write(page.path, page.content, page.source)
            pages += 1
        for rel, path in _static_files(config, theme):
            staging.copy("static/" + rel, path, str(path))
        if form:
            staging.copy("files/" + config.guide.form, form, str(config.path))
        for doc in site.documents:
            for attachment in doc.attachments:
                if "files/" + attachment.rel not in staging.written:
                    staging.copy("files/" + attachment.rel, attachment.source, str(doc.source))
        clock.done("生成页面")
        index = search.build_index(records.root, staging.root / search.BUNDLE, expected_pages=len(site.documents))
        records.discard()
        clock.done("建立索引")
        staging.commit()
        clock.done("替换输出")
    except DoubleWrite as exc:
        staging.discard()
        report.add(exc.second, 1, 1, "E119", f"生成的文件 {exc.path} 与 {report.display(exc.first)} 生成的文件重名",
                   "两个来源不能生成同一个网址：修改其中一个的索引号或目录 slug。")
        raise BuildFailed(report) from None
    except jinja2.TemplateError as exc:
        staging.discard()
        name, line = _template_location(exc)
        report.add(name, line, 1, "E009", f"模板错误：{exc.message}", "检查站点 templates/ 中覆盖的模板文件。")
        raise BuildFailed(report) from None
    except search.SearchIndexFailed as exc:
        staging.discard()
        report.add(config.path, 1, 1, "E010", str(exc), "检查 Pagefind 是否已随 Gongkai 安装（pip install -e .）。")
        raise BuildFailed(report) from None
    except BaseException:
        staging.discard()
        raise
    by_mode: dict[str, int] = {}
    for doc in documents:
        by_mode[doc.mode] = by_mode.get(doc.mode, 0) + 1
    return BuildResult(len(documents), by_mode, pages, len(staging.written) + index.files,
                       time.perf_counter() - started, report, clock.stages, index, config.base_url)


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
    config, _theme, documents, _form = _read(config_path, content_dir, report)
    if report.errors:
        return report, len(documents)
    for doc in documents:
        lint.lint(doc, markup.to_html(doc.body) if doc.body.strip() else "", content_dir, report,
                  config.index_scheme or new.DEFAULT_SCHEME)
    checks.check(build_site(config, disclosure.publishable(documents), build_date(config)), report)
    return report, len(documents)


def _read(config_path: Path, content_dir: Path, report: Report):
    """Config, theme folder, documents and the guide's form; content is read only if config is usable."""
    config = load_config(config_path, report)
    theme = _theme_dir(config, report) if config else None
    if config is None or report.errors:
        return config, theme, [], None
    return config, theme, load_documents(config, content_dir, report), _guide_form(config, content_dir, report)


def build_date(config: Config) -> dt.date:
    """SOURCE_DATE_EPOCH, else config's build_date, else today in China: never a clock inside templates."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone(dt.timedelta(hours=8))).date()
    if config.build_date:
        return dt.date.fromisoformat(config.build_date)
    return today()


def today() -> dt.date:
    """Today in China (UTC+8), whatever the machine's clock zone."""
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()


def _guide_form(config: Config, content_dir: Path, report: Report) -> Path | None:
    """The application form the guide offers for download, checked like an attachment."""
    if not (config.guide and config.guide.form):
        return None
    form = (content_dir / config.guide.form).resolve()
    if not form.is_relative_to(content_dir.resolve()) or not form.is_file():
        report.add(config.path, 1, 1, "E011", f"找不到政府信息公开申请表「{config.guide.form}」",
                   "guide 的 form 写申请表文件相对于 content/ 的路径，文件要放在 content/ 内。")
        return None
    return form


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
    report.add(config.path, 1, 1, "E008", f"找不到主题「{config.theme}」",
               "theme 写 themes/ 下的主题目录名，例如 default。")
    return None


def _static_files(config: Config, theme: Path) -> list[tuple[str, Path]]:
    """The theme's static/ files, overridden file by file by the site's own static/."""
    files: dict[str, Path] = {}
    for base in (theme / "static", config.root / "static"):
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                if path.is_file():
                    files[path.relative_to(base).as_posix()] = path
    return sorted(files.items())
