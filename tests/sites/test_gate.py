"""The 公开方式 gate: 依申请公开 bodies and everything of 不予公开 never reach output/."""
from __future__ import annotations

import json
import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from gongkai import disclosure
from helpers import CONFIG, doc, make_site
from scan import leaks

WITHHELD = {
    "title": "CANARY-WITHHELD-TITLE-51f0",
    "index": "CANARY-WITHHELD-INDEX-8c2e",
    "body": "CANARY-WITHHELD-BODY-3d9a",
    "summary": "CANARY-WITHHELD-SUMMARY-a41b",
    "attachment": "CANARY-WITHHELD-ATTACHMENT-77c1",
    "report": "CANARY-WITHHELD-REPORT-6b1e",
}
ON_REQUEST = {
    "body": "CANARY-REQUEST-BODY-e5d2",
    "summary": "CANARY-REQUEST-SUMMARY-0b6f",
    "keyword": "CANARY-REQUEST-KEYWORD-9a3c",
    "attachment": "CANARY-REQUEST-ATTACHMENT-2f8d",
    "report": "90909090",  # a 年报 number: its tables and CSV files stay in the building too
}


def canary_site(root: Path):
    """With the 繁體 mirror on: the gate must hold for both copies of the site."""
    site = make_site(root, config=CONFIG + "traditional: true\n", docs={
        "public.md": doc(title="公开的文件", index_no="csj/2024-0000001", body="公开正文 PUBLIC-BODY-OK"),
        "withheld/secret.md": doc(
            title=f"内部会议纪要 {WITHHELD['title']}", index_no=f"csj/{WITHHELD['index']}", mode="不予公开",
            body=f"不予公开正文 {WITHHELD['body']}", 摘要=WITHHELD["summary"], 附件="secret.txt"),
        "request.md": doc(
            title="依申请公开的明细表", index_no="csj/2024-0000003", mode="依申请公开",
            body=f"依申请公开正文 {ON_REQUEST['body']}", 摘要=ON_REQUEST["summary"],
            关键词=f"[{ON_REQUEST['keyword']}]", 附件="request.txt"),
        # Public documents pointing at the withheld one must not leak its 索引号 either.
        "interpretation.md": doc(title="解读", index_no="csj/2024-0000004", body="解读正文",
                                 解读对象=f"csj/{WITHHELD['index']}"),
        "replaced.md": doc(title="旧文件", index_no="csj/2024-0000005", validity="废止",
                           替代文件=f"csj/{WITHHELD['index']}"),
        # Annual reports write tables and CSV files: withheld, none of it; on request, metadata only.
        "withheld/report.md": doc(title=f"年报 {WITHHELD['report']}", index_no=f"csj/{WITHHELD['report']}",
                                  mode="不予公开", 年报="{年度: 2023, 行政许可: 3}"),
        "request-report.md": doc(title="依申请公开的年报", index_no="csj/2024-0000006", mode="依申请公开",
                                 年报=f"{{年度: 2023, 行政许可: {ON_REQUEST['report']}}}"),
    })
    (site.content / "withheld/secret.txt").write_text(WITHHELD["attachment"], encoding="utf-8")
    (site.content / "request.txt").write_text(ON_REQUEST["attachment"], encoding="utf-8")
    return site


def assert_gate_holds(site) -> None:
    needles = list(WITHHELD.values()) + list(ON_REQUEST.values())
    assert leaks(site.output, needles) == {}
    # The scan can see, into the compressed search index too: what is public is there.
    seen_in = leaks(site.output, ["PUBLIC-BODY-OK"])["PUBLIC-BODY-OK"]
    assert "doc/csj/2024-0000001/index.html" in seen_in
    assert any(path.startswith("pagefind/") and "/fragment/" in path for path in seen_in)
    assert any(path.startswith("postings/") for path in seen_in)
    assert any(path.startswith("zh-hant/postings/") for path in seen_in)
    assert any(path.startswith("zh-hant/pagefind/") and "/fragment/" in path for path in seen_in)
    assert "zh-hant/doc/csj/2024-0000001/index.html" in seen_in
    assert "zh-hant/feed.xml" in leaks(site.output, ["公開的文件"])["公開的文件"]  # the mirror's own feed
    assert "sitemap.xml" in leaks(site.output, ["doc/csj/2024-0000001/"])["doc/csj/2024-0000001/"]
    seen = leaks(site.output, ["公开的文件", "csj/2024-0000003"])
    assert {"feed.xml", "catalogue.json", "catalogue.csv"} <= set(seen["公开的文件"])
    assert {"catalogue.json", "catalogue.csv"} <= set(seen["csj/2024-0000003"])  # on request: its metadata


def test_canaries_never_leave_the_building(site_root):
    site = canary_site(site_root)
    site.build()
    assert_gate_holds(site)
    request_page = site.page("doc/csj/2024-0000003/index.html")
    assert "依申请公开的明细表" in request_page and "如何获取" in request_page


def test_a_broken_gate_is_caught(site_root, monkeypatch):
    """Break the gate on purpose (publish everything): the canary scan must notice."""
    monkeypatch.setattr(disclosure, "publishable", lambda documents: list(documents))
    site = canary_site(site_root)
    site.build()
    with pytest.raises(AssertionError):
        assert_gate_holds(site)
    found = leaks(site.output, list(WITHHELD.values()) + list(ON_REQUEST.values()))
    assert set(found) == set(WITHHELD.values()) | set(ON_REQUEST.values())


def test_a_gate_that_only_drops_withheld_documents_is_caught(site_root, monkeypatch):
    """Half-broken: withheld documents dropped, 依申请公开 bodies kept. Still caught."""
    monkeypatch.setattr(disclosure, "publishable",
                        lambda documents: [d for d in documents if d.mode != disclosure.WITHHELD])
    site = canary_site(site_root)
    site.build()
    assert set(leaks(site.output, list(ON_REQUEST.values()))) == set(ON_REQUEST.values())


# --- property: random small columns, random modes, hostile titles and bodies -------------

PAYLOADS = [
    "<script>alert('x')</script>", '<img src=x onerror="alert(1)">', "[点我](javascript:alert(1))",
    '<a href="javascript:alert(2)">链接</a>', "<svg onload=alert(3)>", '<p onclick="steal()">段落</p>',
    "<iframe src=//evil.example></iframe>", "<object data=x></object>", '"><script>x()</script>',
    "<style>body{display:none}</style>", "{{ config }}", "{% raw %}", "---", "<!-- 注释 -->",
]
safe_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Co", "Cn")), max_size=30)
fragment = st.one_of(safe_text, st.sampled_from(PAYLOADS))


@st.composite
def columns(draw):
    count = draw(st.integers(1, 5))
    return [dict(mode=draw(st.sampled_from(disclosure_modes())),
                 title=draw(st.lists(fragment, min_size=1, max_size=3).map(" ".join)),
                 body=draw(st.lists(fragment, max_size=6).map("\n\n".join))) for _ in range(count)]


def disclosure_modes():
    return (disclosure.FULL, disclosure.ON_REQUEST, disclosure.WITHHELD)


class _Scripts(HTMLParser):
    """Collects every script element and every event-handler or javascript: attribute."""

    def __init__(self):
        super().__init__()
        self.bad: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.bad.append(f"<{tag} {name}>")
            if name in ("href", "src", "action", "data", "formaction") and value and \
                    re.sub(r"\s", "", value).lower().startswith(("javascript:", "vbscript:", "data:text/html")):
                self.bad.append(f"<{tag} {name}={value}>")
        if tag == "script":
            src = dict(attrs).get("src") or ""
            if not re.fullmatch(r"(/|(\.\./)*)static/[\w.-]+\.js", src):
                self.bad.append(f"<script src={src!r}>")
        if tag in ("iframe", "object", "embed", "style") or (tag == "svg" and dict(attrs).get("class") != "qr"):
            self.bad.append(f"<{tag}>")  # the page's own QR code is the only SVG the theme writes


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(columns())
def test_random_columns_publish_only_what_they_may(column):
    with tempfile.TemporaryDirectory() as tmp:
        sources, expected_absent, expected_present = {}, [], []
        for i, item in enumerate(column):
            token = f"TOKEN{i:02d}X"
            index_no = f"csj/2024-{i:07d}-{token}I"
            body = f"{item['body']}\n\n{token}B\n"
            title = f"{item['title']} {token}T"
            sources[f"d{i}.md"] = (
                "---\n" f"标题: {json.dumps(title, ensure_ascii=False)}\n" f"索引号: {index_no}\n"
                "公开目录: 法定主动公开内容/规划计划\n发布机构: 测试局\n发布日期: 2024-01-05\n"
                f"公开方式: {item['mode']}\n---\n\n{body}")
            if item["mode"] == disclosure.WITHHELD:
                expected_absent += [f"{token}T", f"{token}I", f"{token}B"]
            elif item["mode"] == disclosure.ON_REQUEST:
                expected_absent.append(f"{token}B")
                expected_present.append(f"{token}I")
            else:
                expected_present += [f"{token}I", f"{token}B"]
        site = make_site(Path(tmp) / "site", sources)
        site.build()
        assert leaks(site.output, expected_absent) == {}
        assert set(leaks(site.output, expected_present)) == set(expected_present)
        for path in site.output.rglob("*.html"):
            parser = _Scripts()
            parser.feed(path.read_text(encoding="utf-8"))
            assert parser.bad == [], path
