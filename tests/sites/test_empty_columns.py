"""Empty columns (空白栏目): W216 names each empty subtree once; with hide_empty_columns they get
no page, no feed, no sitemap entry and no link (Site.shown_categories), and the build cache
knows that which columns exist depends on the documents."""
from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urljoin

import pytest

from helpers import MiniSite, doc, make_site

CONFIG = """\
name: 测试专栏
base_url: https://example.gov.cn/
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
      - {name: 规划计划, slug: gh}
      - name: 行政执法
        slug: xzzf
        children:
          - {name: 行政许可, slug: xzxk}
          - {name: 行政处罚, slug: xzcf}
      - name: 财政资金
        slug: cz
        children:
          - {name: 预决算公开, slug: yjs}
  - name: 政府信息公开指南
    slug: zn
"""
DOCS = {
    "a.md": doc("规划", "csj/2024-0000001", "法定主动公开内容/规划计划"),
    "b.md": doc("办法", "csj/2024-0000002", "法定主动公开内容/法规文件/行政规范性文件"),
    "c.md": doc("处罚决定", "csj/2024-0000003", "法定主动公开内容/行政执法/行政处罚"),
}
HINT = "  提示：发布这个栏目的文件，或者在 config.yml 写 hide_empty_columns: true 隐藏没有文件的栏目。"
HIDDEN = ("fd/fg/gz/", "fd/xzzf/xzxk/", "fd/cz/", "fd/cz/yjs/", "zn/")
SHOWN = ("fd/", "fd/fg/", "fd/fg/gf/", "fd/gh/", "fd/xzzf/", "fd/xzzf/xzcf/")


def test_each_empty_subtree_is_named_once(site_root):
    site = make_site(site_root, DOCS, config=CONFIG)
    warnings = [p.format() for p in site.build().report.warnings if p.code == "W216"]
    assert warnings == [
        "site/config.yml:11:1: 警告[W216]: 栏目「法定主动公开内容/法规文件/规章」没有文件，检查时会算作空白栏目\n" + HINT,
        "site/config.yml:17:1: 警告[W216]: 栏目「法定主动公开内容/行政执法/行政许可」没有文件，检查时会算作空白栏目\n" + HINT,
        "site/config.yml:19:1: 警告[W216]: 栏目「法定主动公开内容/财政资金」和它的下级栏目都没有文件，检查时会算作空白栏目\n" + HINT,
        "site/config.yml:23:1: 警告[W216]: 栏目「政府信息公开指南」没有文件，检查时会算作空白栏目\n" + HINT,
    ]
    # Without hide_empty_columns the empty columns are still published, 「暂无文件」.
    assert {page + "index.html" for page in HIDDEN + SHOWN} <= set(site.files())


@pytest.fixture
def hidden(site_root):
    site = make_site(site_root, DOCS, config=CONFIG + "hide_empty_columns: true\n")
    site.result = site.build()
    return site


def test_hidden_columns_warn_nothing_and_get_no_page_feed_or_sitemap_entry(hidden):
    assert [p for p in hidden.result.report.warnings if p.code == "W216"] == []
    files = set(hidden.files())
    for page in SHOWN:
        assert {page + "index.html", page + "feed.xml", "elder/" + page + "index.html"} <= files
    assert not any(name.startswith(HIDDEN) or name.startswith(tuple("elder/" + p for p in HIDDEN)) for name in files)
    listed = re.findall(r"<loc>https://example.gov.cn/([^<]*)</loc>", hidden.page("sitemap.xml"))
    assert set(SHOWN) <= set(listed) and not set(HIDDEN) & set(listed)


def main(html: str) -> str:
    return html[html.index("<main"):html.index("</main>")]


def links(page: str, html: str) -> set[str]:
    """The site paths the page's links lead to (elder/ copies as the standard ones)."""
    base = "https://example.gov.cn/"
    found = {urljoin(base + page, href) for href in re.findall(r'href="([^"#]+)', html)}
    return {url.removeprefix(base).removeprefix("elder/") for url in found if url.startswith(base)}


def test_pages_the_generator_owns_link_no_hidden_column(hidden):
    """The 网站地图, the search page and a column's list of sub-columns (their main content)."""
    for page in ("sitemap/", "search/", "fd/", "fd/fg/", "elder/fd/"):
        assert not links(page, main(hidden.page(page + "index.html"))) & set(HIDDEN), page
    assert set(SHOWN) <= links("sitemap/", main(hidden.page("sitemap/index.html")))
    sitemap = main(hidden.page("sitemap/index.html"))
    assert [c for c in ("规章", "行政许可", "财政资金", "预决算公开", "政府信息公开指南") if c in sitemap] == []
    search = hidden.page("search/index.html")
    assert 'value="法定主动公开内容/财政资金"' not in search and 'value="法定主动公开内容/行政执法/行政处罚"' in search
    assert links("fd/fg/", main(hidden.page("fd/fg/index.html"))) & set(SHOWN + HIDDEN) == {"fd/fg/gf/"}


def test_no_page_links_a_hidden_column(hidden):
    for name, data in hidden.files().items():
        if name.endswith(".html"):
            assert not links(name.removesuffix("index.html"), data.decode("utf-8")) & set(HIDDEN), name


def test_warm_builds_equal_cold_ones_as_columns_appear(hidden, tmp_path):
    """Every page links the shown columns: a column's first document renders every page again
    (feeds and data files link no column), a document in a column already shown does not."""
    hidden.write("d.md", doc("计划", "csj/2024-0000004", "法定主动公开内容/规划计划"))
    before = inodes(hidden.output)
    same_as_cold(hidden, tmp_path / "cold-1")
    after = inodes(hidden.output)
    assert any(after[name] == before.get(name) for name in after if name.endswith(".html"))
    hidden.write("e.md", doc("指南", "csj/2024-0000005", "政府信息公开指南"))
    same_as_cold(hidden, tmp_path / "cold-2")
    again = inodes(hidden.output)
    assert [name for name in again if name.endswith(".html") and again[name] == after.get(name)] == []
    assert "zn/index.html" in hidden.files()


def inodes(output: Path) -> dict[str, int]:
    """Page → inode: a page the last build made and this one reused is the same file (a hard link)."""
    return {p.relative_to(output).as_posix(): p.stat().st_ino for p in output.rglob("*") if p.is_file()}


def same_as_cold(site, cold):
    """Build the site again reusing its last build, and from nothing in `cold`: identical trees."""
    warm = site.build()
    shutil.copytree(site.content, cold / "content")
    shutil.copy(site.config, cold / "config.yml")
    MiniSite(cold).build()
    warm_tree = site.files()
    cold_tree = {p.relative_to(cold / "output").as_posix(): p.read_bytes()
                 for p in sorted((cold / "output").rglob("*")) if p.is_file()}
    assert sorted(warm_tree) == sorted(cold_tree)
    assert [name for name in warm_tree if warm_tree[name] != cold_tree[name]] == []
    return warm
