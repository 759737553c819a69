"""Hostile bodies: every one renders within seconds, keeps its text, and check() says why.

Each body runs in a forked child that is killed when it overruns, so a regression fails in
seconds instead of hanging the suite (Python-Markdown took minutes on some of these, and
html5ever cannot be interrupted by a signal).
"""
from __future__ import annotations

import multiprocessing
import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai import markup

LIMIT = 2.5  # seconds; these bodies take under a tenth of that, ordinary ones alike


def bounded(function, *args, seconds: float = LIMIT):
    """function(*args) in a forked child; fails if it raises, overruns or crashes."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def child():
        start = time.perf_counter()
        try:
            send.send(("returned", function(*args), time.perf_counter() - start))
        except BaseException as exc:  # noqa: BLE001 - reported to the parent, which fails
            send.send(("raised", f"{type(exc).__name__}: {exc}"[:500], time.perf_counter() - start))

    process = context.Process(target=child)
    process.start()
    try:
        if not receive.poll(seconds + 3):
            pytest.fail(f"still running after {seconds + 3} s")
        outcome, value, elapsed = receive.recv()
    finally:
        process.kill()
        process.join()
    assert outcome == "returned", value
    assert elapsed < seconds, f"took {elapsed:.2f} s"
    return value


def render(source: str) -> tuple[str, list]:
    return markup.to_html(source), [(f.line, f.code) for f in markup.check(source)]


# --- shown as plain text, every character kept, with the warning --------------------------------

HOSTILE = {
    # name: (body, code, line)
    "unclosed brackets": ("[" * 200_000, "W211", 1),
    "unclosed image brackets": ("![" * 50_000, "W211", 1),
    "unclosed link targets": ("[a](" * 50_000, "W211", 1),
    "nested brackets": ("[" * 20_000 + "a" + "]" * 20_000, "W211", 1),
    "CDATA openers": ("<![CDATA[" * 10_000, "W211", 1),
    "tags without >": ('<a b="' * 20_000, "W211", 1),
    "emphasis": ("*a" * 100_000, "W211", 1),
    "code spans": ("`a" * 100_000, "W211", 1),
    "backslashes": ("\\" * 200_000, "W211", 1),
    "entities": ("&amp;" * 80_000, "W211", 1),
    "inline tags": ("<b>a</b>" * 50_000, "W211", 1),
    "nested list": ("".join("    " * i + f"- 第{i}层\n" for i in range(1000)), "W210", 21),
    "nested quote lines": ("".join(">" * i + f" 第{i}层\n" for i in range(1, 3000)), "W210", 21),
    "deep quote": (">" * 10_000 + " 引文", "W210", 1),
    "quoted lists": ("".join("> " * i + "- 项\n" for i in range(1, 2000)), "W210", 20),
    "definitions in one block": ("词\n: 释义\n" * 600, "W210", 202),
    "list markers on one line": ("- " * 100_000 + "项", "W210", 1),
    "one footnote cited again and again": ("正文[^1]。" * 5000 + "\n\n[^1]: 注释", "W211", 1),
    "nested divs": ("<div>" * 100_000 + "正文", "W210", 1),
    "headings without blank lines": ("# 标题\n" * 20_000, "W213", 1),
    "rules without blank lines": ("* * *\n" * 20_000, "W213", 1),
    "abbreviations": ("*[A]: 缩写\n" * 5000, "W213", 1),
    "many paragraphs": ("段\n\n" * 200_000, "W213", 1),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_bodies_are_shown_as_text_with_a_warning(name):
    source, code, line = HOSTILE[name]
    html, findings = bounded(render, source)
    assert findings == [(line, code)]
    # Plain paragraphs: the editor's text, escaped, nothing dropped.
    paragraphs = [p for p in re.split(r"\n[ \t]*\n", source) if p.strip()]
    assert html.count("<p>") == len(paragraphs)
    assert markup.text(html.replace("<br>\n", "\n")).replace(" \n", "\n").split() == " ".join(paragraphs).split()


# --- rendered as usual, quickly -------------------------------------------------------------

ORDINARY = {
    "stars": ("*" * 100_000, None),
    "underscores": ("_" * 100_000, None),
    "backticks": ("`" * 100_000, "`" * 100_000),
    "less-than signs": ("<" * 50_000, "&lt;" * 50_000),
    "ampersands": ("&" * 50_000, "&amp;" * 50_000),
    "end tags": ("</" * 50_000, "&lt;/" * 50_000),
    "a long line": ("字" * 1_000_000, "字" * 1_000_000),
    "ten thousand nested divs": ("<div>" * 10_000 + "正文", "正文"),
    "ten thousand spans": ("<span>" * 10_000 + "正文", "正文"),
}


@pytest.mark.parametrize("name", ORDINARY)
def test_long_runs_of_one_character_render_as_markdown(name):
    source, kept = ORDINARY[name]
    html, findings = bounded(render, source)
    assert findings == []
    if kept:
        assert kept in html


def test_a_real_looking_body_is_unchanged_and_quiet():
    source = ("# 一、总体要求\n\n按照[《条例》](https://www.gov.cn/a.html)要求，**全面**推进政务公开。\n\n"
              "| 序号 | 事项 |\n|---|---|\n" + "".join(f"| {i} | [事项{i}](x{i}.html) |\n" for i in range(2000)) +
              "\n1. 第一项\n    - 子项 `代码`\n2. 第二项\n\n> 引文[^注]，再引[^注]\n\n```\n<style>\n```\n\n"
              "<div><p>CMS 正文</p></div>\n\n[^注]: 脚注。\n")
    html, findings = bounded(render, source)
    assert findings == []
    assert "<h2>一、总体要求</h2>" in html and '<a href="https://www.gov.cn/a.html" rel="noopener noreferrer">' in html
    assert html.count("<tr>") == 2001 and "<code>&lt;style&gt;\n</code>" in html and "<p>CMS 正文</p>" in html


def test_the_warning_names_the_paragraph_and_what_to_do():
    source = "正文。\n\n" + "[" * 50_000 + "\n\n后文。"
    assert markup.check(source) == [markup.Finding(
        3, 1, "W211", "从这一行起的一段有 50000 个方括号「[」，很多没有配对，排版要花的时间太长，正文已按纯文本显示",
        "删除多余的「[」；要显示方括号本身时写成「\\[」，或者把这段放进代码块（上下各加一行 ```）。")]
    nested = "".join("    " * i + "- 项\n" for i in range(25))
    assert markup.check("正文。\n\n" + nested) == [markup.Finding(
        23, 1, "W210", "列表或引用嵌套了 21 层（最多 20 层），正文已按纯文本显示",
        "减少缩进：列表每深一层缩进 4 个空格，一般不超过三四层；行首的每个「>」也算一层。")]


def test_a_recursion_the_survey_missed_still_gives_the_text(monkeypatch):
    class Deep:
        def reset(self):
            return self

        def convert(self, source):
            raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(markup, "_CONVERTER", [Deep()])
    assert markup.to_html("第一段\n\n第二段 <b>") == "<p>第一段</p>\n<p>第二段 &lt;b&gt;</p>"
    assert markup._CONVERTER == []  # a converter left half-way through a body is not used again


def test_sanitize_refuses_html_nested_too_deep_for_html5ever():
    html = bounded(markup.sanitize, "<div>" * 200_000 + "<script>alert(1)</script>正文")
    assert html.startswith("<p>") and html.endswith("正文</p>")
    assert "<div" not in html and "<script" not in html


# --- raw-text elements -------------------------------------------------------------------------

@pytest.mark.parametrize("tag", ["style", "script", "textarea", "title", "xmp", "noscript", "iframe",
                                 "noembed", "noframes", "plaintext", "template", "STYLE"])
def test_an_unclosed_raw_text_element_keeps_the_rest_of_the_body(tag):
    source = f"前文\n\n<{tag}>\n\n后文一段\n\n# 标题\n\n最后 [链接](https://example.gov.cn/)"
    html, findings = render(source)
    assert f"&lt;{tag}&gt;" in html
    assert "<p>后文一段</p>\n<h2>标题</h2>" in html and '<a href="https://example.gov.cn/"' in html
    (finding,) = markup.check(source)
    assert (finding.line, finding.col, finding.code) == (3, 1, "W212")
    assert f"<{tag.lower()}>" in finding.message


def test_an_unclosed_tag_is_reported_at_its_line_and_column():
    assert [(f.line, f.col, f.message) for f in markup.check("一\n\n前文 <style type=x>后文\n")] == [
        (3, 4, "<style> 没有结束标签 </style>，已经把它按文字显示，后面的正文照常显示")]
    assert markup.to_html("一\n\n前文 <style type=x>后文\n") == "<p>一</p>\n<p>前文 &lt;style type=x&gt;后文</p>"


def test_closed_or_quoted_raw_text_elements_are_left_alone():
    for source in ("<style>p { color: red }</style>\n\n后文", "`<style>` 后文", "```\n<style>\n```\n\n后文",
                   "<textarea>内容</textarea>\n\n后文", "<style>\n\n</STYLE >\n\n后文"):
        assert markup.check(source) == [], source
        assert "后文" in markup.to_html(source)
    # A closing tag in code closes nothing: it is shown as text, so the opening one is escaped.
    assert [f.code for f in markup.check("<style>\n\n`</style>`\n\n后文")] == ["W212"]
    assert "<p>后文</p>" in markup.to_html("<style>\n\n`</style>`\n\n后文")


def test_sanitize_keeps_what_follows_an_unclosed_style_from_an_import():
    assert markup.sanitize("<p>前文</p><style><p>后文</p>") == "<p>前文</p>&lt;style&gt;<p>后文</p>"


SCRIPTS = [
    "<script>alert(1)</script>",
    "<script>alert(1)",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    '<img src="x.png" alt="图" onerror="alert(2)">',
    "[点我](javascript:alert(3))",
    '<a href="JaVaScRiPt:alert(4)">b</a>',
    '<svg><script>alert(5)</script></svg>',
    "<scr<script>ipt>alert(6)</script>",
    '<style><img src=x onerror="alert(7)"></style>',
    '<textarea></textarea><img src=x onerror="alert(8)">',
    "<iframe src=javascript:alert(9)>",
    '<div style="background:url(javascript:alert(10))" onclick="x()">段</div>',
]


def outputs(*bodies: str) -> list[str]:
    return [markup.to_html(body) for body in bodies]


@pytest.mark.parametrize("source", SCRIPTS)
def test_nothing_executable_survives(source):
    # The third is shown as plain text.
    for html in bounded(outputs, source, source + "\n\n后文", "前文\n\n" + source + "\n\n" + "[" * 50_000):
        html = html.lower()
        assert "<script" not in html and "<iframe" not in html and "<svg" not in html
        assert not re.search(r"<[^>]*\son\w+\s*=", html), html
        assert not re.search(r"<[^>]*(href|src)\s*=\s*[\"']?\s*javascript:", html), html
        assert not re.search(r"<[^>]*\sstyle\s*=", html), html


# --- any input ------------------------------------------------------------------------------

@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="[]()<>!*_`\\&#:|-=~ >\n\t\r\x00\x02\x03a字/\"'^{}.1", max_size=300))
def test_any_text_renders_without_raising(source):
    html = markup.to_html(source)
    assert isinstance(html, str) and "<script" not in html.lower()
    markup.check(source)


def test_the_survey_of_a_large_body_is_cheap():
    source = ("这是一个普通的段落，包含[链接](http://example.gov.cn/a)和**强调**。\n\n") * 5000
    assert bounded(markup.check, source, seconds=0.5) == []


# --- in a build (needs content.py to call markup.check when it reads a body) ----------------

def test_a_build_names_the_file_and_line_and_keeps_the_text(site_root):
    from helpers import doc, make_site

    body = "第一段。\n\n前文 <style>\n\n" + "[" * 100_000 + "\n\n最后一段。"
    site = make_site(site_root, {"a.md": doc(body=body), "b.md": doc(index_no="csj/2024-0000002", body="<script>")})
    result = bounded(site.build, seconds=20)
    assert [p.format() for p in result.report.warnings if p.code in ("W210", "W211", "W212", "W213")] == [
        "site/content/a.md:14:1: 警告[W211]: 从这一行起的一段有 100000 个方括号「[」，很多没有配对，排版要花的时间太长，正文已按纯文本显示\n"
        "  提示：删除多余的「[」；要显示方括号本身时写成「\\[」，或者把这段放进代码块（上下各加一行 ```）。",
        "site/content/b.md:10:1: 警告[W212]: <script> 没有结束标签 </script>，已经把它按文字显示，后面的正文照常显示\n"
        "  提示：正文里不需要 <script>：删除它。否则它后面的整篇正文都会被当作 <script> 的内容，在网页上看不到。"]
    page = site.page("doc/csj/2024-0000001/index.html")
    assert "<p>第一段。</p>\n<p>前文 &lt;style&gt;</p>\n<p>" + "[" * 100_000 + "</p>\n<p>最后一段。</p>" in page
    assert "&lt;script&gt;" in site.page("doc/csj/2024-0000002/index.html")
