"""Warnings about a site that builds but falls short of the disclosure rules (W2xx)."""
from __future__ import annotations

import datetime as dt

from . import validity
from .errors import Report
from .model import Site

STALE_AFTER = dt.timedelta(days=183)  # 国办 inspections count a column silent for six months as not updated


def check(site: Site, report: Report) -> None:
    three_in_step(site, report)
    freshness(site, report)
    empty_columns(site, report)


def three_in_step(site: Site, report: Report) -> None:
    """三同步: a 规章 or 行政规范性文件 has its 解读 published on or before its own date."""
    for doc in site.documents:
        if not validity.is_normative(doc):
            continue
        in_time = [i for i in site.interpretations.get(doc.index_no, ()) if i.date <= doc.date]
        if not in_time:
            report.warn(doc.source, doc.lines.get("title", 1), 1, "W201",
                        f"{doc.category.name}「{doc.title}」没有同步发布的政策解读",
                        "按「三同步」要求，发布政策解读，解读对象写本文件的索引号，发布日期不晚于本文件。")


def freshness(site: Site, report: Report) -> None:
    """A column with nothing new for six months reads as abandoned."""
    for category in site.config.all_categories():
        docs = site.by_category.get(category.key)
        if category.children or not docs:
            continue
        newest = docs[0].date
        if site.build_date - newest > STALE_AFTER:
            report.warn(site.config.path, category.line, 1, "W202",
                        f"栏目「{category.key}」已有 {(site.build_date - newest).days} 天没有更新（最近一篇发布于 {newest.isoformat()}）",
                        "及时发布新信息；国办检查把六个月没有更新的栏目算作不更新。")


def empty_columns(site: Site, report: Report) -> None:
    """A shown column without documents is a 空白栏目 to inspectors: one warning for the highest
    empty column of each empty subtree (its empty children are named by it)."""
    def walk(category) -> None:
        if site.by_category.get(category.key):
            for child in category.children:
                walk(child)
            return
        what = "和它的下级栏目都" if category.children else ""
        report.warn(site.config.path, category.line, 1, "W216",
                    f"栏目「{category.key}」{what}没有文件，检查时会算作空白栏目",
                    "发布这个栏目的文件，或者在 config.yml 写 hide_empty_columns: true 隐藏没有文件的栏目。")
    for top in site.shown_categories:
        walk(top)
