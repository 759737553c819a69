"""联合搜索 in Chromium: two columns built separately, side by side on one host, and the first
column's search/all/ page finding documents of both, each through its own index."""
from __future__ import annotations

from pathlib import Path

import pytest

from chromium import serve
from gongkai.build import build
from helpers import CONFIG, doc, make_site
from measure import axe
from search_page import search, wait_for_results

ROOT = Path(__file__).resolve().parents[2]
OTHER = "乙县政务公开专栏"  # built with its 繁體 copy
THIRD = "丙地专栏"  # built without one
ALL = "search/all/"


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    """The sample column at /xxgk/ naming a second column at /yixian/ (and one that is not
    there), and the second column, built on its own."""
    tmp = tmp_path_factory.mktemp("federation")
    www = tmp / "www"
    config = tmp / "config.yml"
    config.write_text((ROOT / "config.yml").read_text(encoding="utf-8") +
                      f"federation:\n  - {{name: {OTHER}, url: ../yixian/}}\n  - {{name: {THIRD}, url: ../bing/}}\n"
                      "  - {name: 尚未建成的专栏, url: ../missing/}\n", encoding="utf-8")
    build(config, ROOT / "content", www / "xxgk")
    other = make_site(tmp / "yixian", {
        "a.md": doc(title="乙县2024年政务公开工作要点", index_no="csj/2024-0000001",
                    body="乙县全面推进政务公开工作，做好政策解读和回应关切。"),
        "b.md": doc(title="乙县财政预算公开说明", index_no="csj/2024-0000002", date="2024-03-01",
                    body="公开乙县财政预算和决算，接受社会监督。"),
    }, config=CONFIG.replace("name: 测试专栏", f"name: {OTHER}").replace(
        "https://example.gov.cn/", "https://example.gov.cn/yixian/") + "traditional: true\n")
    build(other.config, other.content, www / "yixian")
    third = make_site(tmp / "bing", {
        "a.md": doc(title="丙地工作方案", index_no="csj/2024-0000007", body="丙地年度工作方案全文。"),
    }, config=CONFIG.replace("name: 测试专栏", f"name: {THIRD}").replace(
        "https://example.gov.cn/", "https://example.gov.cn/bing/"))
    build(third.config, third.content, www / "bing")
    with serve(www, base="/") as address:
        yield address + "xxgk/"


def test_one_query_finds_documents_of_both_columns(page, portal):
    found = search(page, portal, every=True, path=ALL, q="政务公开工作")
    columns = {r["path"].split("/")[1] for r in found}
    assert columns == {"xxgk", "yixian"}, found
    assert {r["meta"]["来源"] for r in found} == {"政务公开示例专栏", OTHER}
    for r in found:
        assert (r["meta"]["来源"] == OTHER) == r["path"].startswith("/yixian/doc/")
    assert any(r["title"] == "乙县2024年政务公开工作要点" for r in found)
    # Results open: the other column's document is there to read.
    page.goto(portal + ALL)
    page.fill("#search-q", "乙县财政预算")
    page.press("#search-q", "Enter")
    wait_for_results(page)
    page.locator("#search-results h3 a").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/yixian/doc/csj/2024-0000002/")
    assert page.locator("h1").inner_text() == "乙县财政预算公开说明"


def test_a_word_only_one_column_holds_and_the_column_filter(page, portal):
    only_other = search(page, portal, every=True, path=ALL, q="乙县")
    assert sorted(r["path"] for r in only_other) == ["/yixian/doc/csj/2024-0000001/", "/yixian/doc/csj/2024-0000002/"]
    narrowed = search(page, portal, every=True, path=ALL, q="政务公开工作", source=OTHER)
    assert narrowed and {r["meta"]["来源"] for r in narrowed} == {OTHER}
    mine = search(page, portal, every=True, path=ALL, q="政务公开工作", source="政务公开示例专栏")
    everything = search(page, portal, every=True, path=ALL, q="政务公开工作")
    assert len(mine) + len(narrowed) == len(everything)
    by_date = search(page, portal, every=True, path=ALL, q="政务公开", sort="date")
    dates = [r["meta"]["发布日期"] for r in by_date]
    assert dates == sorted(dates, reverse=True) and {r["meta"]["来源"] for r in by_date} == {"政务公开示例专栏", OTHER}


def test_the_portal_page_passes_axe(page, portal):
    search(page, portal, path=ALL, q="政务公开")
    assert axe(page) == []
    assert page.locator("#f-source option").all_text_contents() == ["全部专栏", "政务公开示例专栏", OTHER, THIRD,
                                                                  "尚未建成的专栏"]


def test_words_typed_together_are_found_in_the_column_that_holds_them(page, portal):
    """乙县政务公开 is two words typed together: the second column holds 乙县 and 政务公开 but
    no 县政 (the first column does), so 县政 is where the words meet, and the second column's
    documents match exactly. The first column holds 政务公开 but not 乙县: a partial match,
    not listed beside exact ones."""
    found = search(page, portal, every=True, path=ALL, q="乙县政务公开")
    assert {r["meta"]["来源"] for r in found} == {OTHER}
    assert "/yixian/doc/csj/2024-0000001/" in [r["path"] for r in found]
    assert page.locator("#search-results").get_attribute("data-match") == "exact"
    narrowed = search(page, portal, every=True, path=ALL, q="乙县政务公开", source=OTHER)
    assert narrowed and {r["path"].split("/")[1] for r in narrowed} == {"yixian"}


def test_choosing_only_a_column_lists_its_documents(page, portal):
    found = search(page, portal, every=True, path=ALL, source=OTHER)
    assert sorted(r["path"] for r in found) == ["/yixian/doc/csj/2024-0000001/", "/yixian/doc/csj/2024-0000002/"]
    assert [r["meta"]["发布日期"] for r in found] == ["2024-03-01", "2024-01-05"]  # newest first


def test_the_mirror_searches_each_column_in_its_own_script(page, portal):
    """On the 繁體 联合搜索 page, a 繁體 query finds the other column's 繁體 copy; a column built
    without one is searched in 简体 (words written alike in both scripts still find it), and
    every result opens in the 繁體 copy where there is one."""
    hant = search(page, portal, every=True, path="zh-hant/" + ALL, q="政務公開工作")
    assert {r["path"].split("/")[1] for r in hant} == {"xxgk", "yixian"}
    assert all(r["path"].startswith(("/xxgk/zh-hant/doc/", "/yixian/zh-hant/doc/")) for r in hant), hant
    assert "乙縣2024年政務公開工作要點" in [r["title"] for r in hant]
    alike = search(page, portal, every=True, path="zh-hant/" + ALL, q="丙地工作")
    assert [r["path"] for r in alike] == ["/bing/doc/csj/2024-0000007/"]
    elder = search(page, portal, every=True, path="elder/" + ALL, q="丙地工作")
    assert [r["path"] for r in elder] == ["/bing/elder/doc/csj/2024-0000007/"]
