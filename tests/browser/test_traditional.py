"""The 繁體 mirror in Chromium: the switch lands on the same document both ways, and a query
typed in 繁體 finds documents in the mirror's own index."""
from __future__ import annotations

import pytest

from gongkai import traditional
from search_page import search, wait_for_results

HANT = traditional.Converter(traditional.DEFAULT)


@pytest.mark.parametrize("path", ["doc/lanshanqufczzf/2021-0000679/", "elder/doc/lanshanqufczzf/2021-0000679/",
                                  "fdzdgknr/ghjh/", "agency/fczzf/", ""])
def test_the_switch_lands_on_the_same_page_both_ways(page, sample_site, path):
    page.goto(sample_site + path)
    heading = page.locator("h1").first.inner_text()
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.locator(".script-switch").click()
    page.wait_for_load_state()
    assert page.url == sample_site + traditional.PREFIX + path
    assert page.locator("html").get_attribute("lang") == traditional.LANG
    assert page.locator("h1").first.inner_text() == HANT.text(heading)
    assert page.locator(".script-switch").inner_text() == "简体"  # named in its own script
    page.locator(".script-switch").click()
    page.wait_for_load_state()
    assert page.url == sample_site + path
    assert page.locator("h1").first.inner_text() == heading


def test_a_query_typed_in_traditional_finds_documents(page, sample_site):
    simplified = search(page, sample_site, q="政务公开工作")
    mirrored = search(page, sample_site + traditional.PREFIX, q="政務公開工作")
    assert len(simplified) >= 3
    # The same documents, in the same order, shown in 繁體 and linking into the mirror.
    assert [r["path"].replace("/" + traditional.PREFIX, "/", 1) for r in mirrored] == [r["path"] for r in simplified]
    assert all("/" + traditional.PREFIX + "doc/" in r["path"] for r in mirrored)
    assert [r["title"] for r in mirrored] == [HANT.text(r["title"]) for r in simplified]
    assert "<mark>" in mirrored[0]["excerpt_html"]


def test_filters_in_the_mirror_use_its_own_values(page, sample_site):
    page.goto(sample_site + traditional.PREFIX + "search/")
    page.locator(".filters-panel > summary").click()  # the filters are closed until asked for
    page.select_option("#f-agency", HANT.text("兰山区方城镇"))
    status = wait_for_results(page)
    assert status.startswith("找到")
    assert page.locator("#search-results > li").count() > 0
    assert all(HANT.text("兰山区方城镇") in text for text in page.locator("#search-results dd").all_inner_texts()
               if "方城" in text)


def test_simplified_typed_on_the_mirror_finds_the_same_documents(page, sample_site):
    """Both scripts fold to 简体 before they are cut into terms (generator/fold.py), so a query
    in 简体 on the 繁體 mirror finds what the same query in 繁體 finds."""
    typed = search(page, sample_site, path=traditional.PREFIX + "search/", q="政务公开工作要点")
    converted = search(page, sample_site, path=traditional.PREFIX + "search/", q=HANT.text("政务公开工作要点"))
    assert typed and [r["path"] for r in typed] == [r["path"] for r in converted]
    assert all("/" + traditional.PREFIX + "doc/" in r["path"] for r in typed)
