"""有效性 as of the build date, the current-rules catalogue, 解读 links, 三同步 and freshness warnings.

A fixture column over three years (2022–2024) with an expiry, a repeal and a revision; every
expected count below was worked out by hand from the documents as written here.
"""
from __future__ import annotations

import pytest

from helpers import doc, make_site

CONFIG = """\
name: 测试专栏
base_url: https://example.gov.cn/
site_id: "1234567890"
build_date: 2024-12-31
agencies: [{name: 测试局, slug: csj}]
categories:
  - name: 法定主动公开内容
    slug: fd
    children:
      - name: 法规文件
        slug: fg
        children:
          - {name: 规章, slug: gz}
          - {name: 行政规范性文件, slug: gf}
          - {name: 政策解读, slug: jd}
      - {name: 规划计划, slug: gh}
"""
GF = "法定主动公开内容/法规文件/行政规范性文件"
JD = "法定主动公开内容/法规文件/政策解读"
DOCS = {
    "a.md": doc("甲办法", "csj/2022-0000001", GF, date="2022-03-01", 有效期至="2023-02-28"),
    "b.md": doc("乙办法", "csj/2022-0000002", GF, date="2022-06-01", 有效性="废止", 失效日期="2023-06-30",
                替代文件="csj/2023-0000003"),
    "c.md": doc("丙办法", "csj/2023-0000003", GF, date="2023-06-30"),
    "d.md": doc("丁规定", "csj/2024-0000004", "法定主动公开内容/法规文件/规章", date="2024-01-10", 有效期至="2029-01-09"),
    "e.md": doc("《丁规定》解读", "csj/2024-0000005", JD, date="2024-01-10", 解读对象="csj/2024-0000004"),
    "f.md": doc("戊办法", "csj/2024-0000006", GF, date="2024-05-01", 有效性="已修订", 失效日期="2024-09-01",
                替代文件="csj/2024-0000007"),
    "g.md": doc("戊办法（修订）", "csj/2024-0000007", GF, date="2024-09-01"),
    "h.md": doc("《戊办法（修订）》解读", "csj/2024-0000008", JD, date="2024-09-05", 解读对象="csj/2024-0000007"),
    "i.md": doc("规划", "csj/2024-0000009", "法定主动公开内容/规划计划", date="2024-02-01"),
}


@pytest.fixture
def site(site_root, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH")  # the fixture's config fixes the build date
    site = make_site(site_root, DOCS, config=CONFIG)
    site.result = site.build()
    return site


def rows(html: str) -> list[str]:
    """Titles in a rules table, in order."""
    import re
    return re.findall(r'<td>\d+</td>\s*<td class="title"><a href="[^"]+">([^<]+)</a></td>', html)


def test_current_rules_and_ended_lists(site):
    assert rows(site.page("rules/current/index.html")) == ["戊办法（修订）", "丁规定", "丙办法"]
    ended = site.page("rules/ended/index.html")
    assert rows(ended) == ["戊办法", "乙办法", "甲办法"]
    assert "共 3 件" in ended and "截至 2024年12月31日" in ended
    # 甲 expired by its 有效期至: 失效 from the next day, computed, not written by the editor.
    assert '<td class="nowrap">已失效</td>' in ended and '<time datetime="2023-03-01">2023-03-01</time>' in ended
    column = site.page("fd/index.html")
    assert '现行有效规范性文件目录</a>（3 件）' in column and '废止和失效文件</a>（3 件）' in column
    assert "现行有效规范性文件目录" not in site.page("fd/gh/index.html")


@pytest.mark.parametrize("index_no, notice", [
    ("csj/2022-0000001", "<strong>本文件已失效</strong>（自 2023年3月1日起失效），仅供查阅，不再执行。"),
    ("csj/2022-0000002", "<strong>本文件已废止</strong>（自 2023年6月30日起废止），仅供查阅，不再执行。"),
    ("csj/2024-0000006", "<strong>本文件已被修订</strong>（自 2024年9月1日起按修订后的文件执行），仅供查阅，不再执行。"),
])
def test_notices_in_words_at_the_top(site, index_no, notice):
    page = site.page(f"doc/{index_no}/index.html")
    assert notice in page
    assert page.index("validity-notice") < page.index('class="meta"')


def test_replacing_documents_link_both_ways(site):
    b = site.page("doc/csj/2022-0000002/index.html")
    assert '替代文件：<a href="../2023-0000003/">丙办法</a>' in b
    c = site.page("doc/csj/2023-0000003/index.html")
    assert '本文件替代：<a href="../2022-0000002/">乙办法</a>' in c
    f = site.page("doc/csj/2024-0000006/index.html")
    assert '替代文件：<a href="../2024-0000007/">戊办法（修订）</a>' in f


def test_normative_documents_always_show_validity(site):
    assert "<strong>有效性：现行有效</strong>，有效期至 2029年1月9日。" in site.page("doc/csj/2024-0000004/index.html")
    assert "<strong>有效性：现行有效</strong>，未规定有效期。" in site.page("doc/csj/2023-0000003/index.html")
    assert "有效性：现行有效" not in site.page("doc/csj/2024-0000009/index.html")


def test_interpretations_link_both_ways(site):
    d = site.page("doc/csj/2024-0000004/index.html")
    assert '相关解读：<a href="../2024-0000005/">《丁规定》解读</a>' in d
    e = site.page("doc/csj/2024-0000005/index.html")
    assert '原文：<a href="../2024-0000004/">丁规定</a>' in e


def test_three_in_step_and_freshness_warnings(site):
    warnings = [p.format() for p in site.result.report.warnings]
    three = [w for w in warnings if "[W201]" in w]
    assert [w.split(": ", 1)[0] for w in three] == [
        "site/content/a.md:2:1", "site/content/b.md:2:1", "site/content/c.md:2:1",
        "site/content/f.md:2:1", "site/content/g.md:2:1"]
    assert three[4] == ("site/content/g.md:2:1: 警告[W201]: 行政规范性文件「戊办法（修订）」没有同步发布的政策解读\n"
                        "  提示：按「三同步」要求，发布政策解读，解读对象写本文件的索引号，发布日期不晚于本文件。")
    stale = [w for w in warnings if "[W202]" in w]
    assert stale == [
        "site/config.yml:13:1: 警告[W202]: 栏目「法定主动公开内容/法规文件/规章」已有 356 天没有更新（最近一篇发布于 2024-01-10）\n"
        "  提示：及时发布新信息；国办检查把六个月没有更新的栏目算作不更新。",
        "site/config.yml:16:1: 警告[W202]: 栏目「法定主动公开内容/规划计划」已有 334 天没有更新（最近一篇发布于 2024-02-01）\n"
        "  提示：及时发布新信息；国办检查把六个月没有更新的栏目算作不更新。",
    ]
    assert site.result.report.errors == []


def test_page_metadata_of_the_government_website_rules(site):
    home = site.page("index.html")
    for tag in ('<meta name="SiteName" content="测试专栏">', '<meta name="SiteDomain" content="example.gov.cn">',
                '<meta name="SiteIDCode" content="1234567890">'):
        assert tag in home and tag in site.page("doc/csj/2024-0000004/index.html")
    column = site.page("fd/fg/gf/index.html")
    assert '<meta name="ColumnName" content="行政规范性文件">' in column
    assert '<meta name="ColumnType" content="信息公开">' in column
    page = site.page("doc/csj/2024-0000004/index.html")
    assert '<meta name="ArticleTitle" content="丁规定">' in page
    assert '<meta name="PubDate" content="2024-01-10 00:00">' in page
    assert '<meta name="ContentSource" content="测试局">' in page
