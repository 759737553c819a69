"""Lints for `gongkai check`: what builds but is wrong by the book, with the corrected form.

文号 follow GB/T 9704-2012 §7.2.4: the year in 六角括号〔〕, four digits, the serial without
leading zeros and without 第, ending in 号. Decree and announcement numbers have their own
legitimate forms (国令第707号, 河北省人民政府令〔2023〕第5号, 2019年第3号公告) and pass.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from .errors import Report
from .model import Document

_STANDARD = re.compile(r"^[^\s〔〕]+〔\d{4}〕[1-9]\d*号$")
_DECREE = re.compile(r"^[^\s〔〕]*令(〔\d{4}〕)?第[1-9]\d*号$")
_ANNOUNCEMENT = re.compile(r"^[^\s]*?(公告)?\d{4}年第[1-9]\d*号(公告)?$")
_BRACKETED_YEAR = re.compile(r"[\[【(（［〈<]\s*(\d{4})\s*[\]】)）］〉>]")


def doc_no_problem(text: str) -> str | None:
    """None when the 文号 is well formed; else the corrected form ("" when none can be proposed)."""
    if any(p.match(text) for p in (_STANDARD, _DECREE, _ANNOUNCEMENT)):
        return None
    fixed = re.sub(r"[\s\u3000]+", "", text)
    fixed = _BRACKETED_YEAR.sub(r"〔\1〕", fixed)
    if not _DECREE.match(fixed):
        fixed = re.sub(r"〕第", "〕", fixed)
    fixed = re.sub(r"(〕|第)0+(\d)", r"\1\2", fixed)
    if re.search(r"\d$", fixed):
        fixed += "号"
    return fixed if any(p.match(fixed) for p in (_STANDARD, _DECREE, _ANNOUNCEMENT)) else ""


class _Body(HTMLParser):
    """Images without alt text, relative links, and headings with nothing under them."""

    def __init__(self):
        super().__init__()
        self.missing_alt: list[str] = []
        self.links: list[str] = []
        self.headings: list[tuple[int, str]] = []  # (level, text); level 0 marks content
        self._heading = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img" and not (attrs.get("alt") or "").strip():
            self.missing_alt.append(attrs.get("src") or "")
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if re.fullmatch(r"h[2-6]", tag):
            self._heading = [int(tag[1]), ""]
        elif tag in ("p", "li", "table", "img", "blockquote", "pre"):
            self.headings.append((0, ""))

    def handle_endtag(self, tag):
        if self._heading and tag == f"h{self._heading[0]}":
            self.headings.append(tuple(self._heading))
            self._heading = None

    def handle_data(self, data):
        if self._heading is not None:
            self._heading[1] += data


def index_pattern(scheme: str, codes: list[str]) -> re.Pattern:
    """The 索引号 scheme of config.yml as a pattern: one of the agencies' codes, a year, a sequence
    of exactly the configured width."""
    def piece(part: str) -> str:
        if part == "{code}":
            return "(?:" + "|".join(re.escape(c) for c in codes) + ")"
        if part == "{year}":
            return r"\d{4}"
        if part.startswith("{seq"):
            width = re.search(r":0?(\d+)d", part)
            return rf"\d{{{width[1]}}}" if width else r"\d+"
        return re.escape(part)
    return re.compile("".join(piece(p) for p in re.split(r"(\{code\}|\{year\}|\{seq[^}]*\})", scheme)))


def lint(doc: Document, body_html: str, content_dir: Path, report: Report, scheme: str | None = None) -> None:
    if scheme:
        codes = [a.code or a.slug for a in doc.agencies]
        if not index_pattern(scheme, codes).fullmatch(doc.index_no):
            example = scheme.format(code=codes[0], year=doc.date.year, seq=1)
            report.warn(doc.source, doc.lines.get("index_no", 1), 1, "W209",
                        f"索引号「{doc.index_no}」不符合 config.yml 中 index_scheme 的格式",
                        f"应当像「{example}」这样；新文件用 make new 生成索引号。已经发布的文件不要改索引号。")
    line = doc.lines.get("doc_no", 1)
    if doc.doc_no:
        fixed = doc_no_problem(doc.doc_no)
        if fixed is not None:
            report.warn(doc.source, line, 1, "W205", f"文号「{doc.doc_no}」不符合 GB/T 9704-2012 的写法",
                        f"应写作「{fixed}」。" if fixed else "年份用六角括号〔〕，四位数字；序号不编虚位、不加「第」，以「号」结尾。")
    parser = _Body()
    parser.feed(body_html)
    for src in parser.missing_alt:
        report.warn(doc.source, doc.body_line, 1, "W206", f"图片「{src}」没有替代文字",
                    "写成 ![图片内容的简短说明](图片文件)，读屏软件会读出这段说明。")
    for href in parser.links:
        if re.match(r"^([a-z][a-z0-9+.-]*:|#|/)", href, re.I):
            continue
        target = (doc.source.parent / href.split("#")[0]).resolve()
        if not target.exists() or not target.is_relative_to(content_dir.resolve()):
            report.warn(doc.source, doc.body_line, 1, "W207", f"链接「{href}」指向的文件不存在",
                        "检查链接的路径（相对于本文档所在目录），或者改为完整的网址。")
    marks = parser.headings
    for i, (level, text) in enumerate(marks):
        if level == 0:
            continue
        # By index, not a slice of the rest: copying the rest at each heading is quadratic.
        following = next((marks[j][0] for j in range(i + 1, len(marks)) if marks[j][0] <= level), None)
        if not text.strip():
            report.warn(doc.source, doc.body_line, 1, "W208", "正文中有空标题", "删除这个标题，或者写上标题文字。")
        elif following != 0 and not doc.annual:
            report.warn(doc.source, doc.body_line, 1, "W208", f"标题「{text.strip()}」下面没有内容",
                        "在标题下写上内容，或者删除这个标题。")
