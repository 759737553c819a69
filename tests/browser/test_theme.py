"""The default theme as readers meet it in Chromium: the phone header and metadata one tap away
(with and without JavaScript), the wide-screen grid, print, 繁體 type, the 落款, the 解读 box."""
from __future__ import annotations

import re

import pytest

PLAN = "doc/lanshanqufczzf/2021-0000679/"  # 方城镇2021年政务公开实施方案
POLICY = "doc/lanshanqufczzf/2021-0000566/"  # 方城镇政务公开工作考核办法, which has a 解读
READING = "doc/lanshanqufczzf/2021-0000567/"  # its 解读
PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 900}


def open_page(browser, site, path, viewport, javascript=True):
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(site + path)
    return context, page


@pytest.mark.parametrize("javascript", [True, False])
def test_phone_header_is_one_row_with_a_menu_that_opens(browser, sample_site, javascript):
    context, page = open_page(browser, sample_site, PLAN, PHONE, javascript)
    header = page.locator(".site-header").bounding_box()
    nav = page.get_by_role("navigation", name="主导航")
    assert header["height"] <= 64, header  # the site name, 长者模式 and 菜单 on one row
    assert page.locator(".site-header").get_by_role("link", name="长者模式").is_visible()
    assert nav.is_hidden()
    page.locator(".site-menu > summary").click()
    assert nav.is_visible() and nav.get_by_role("link", name="按年份").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_phone_metadata_is_a_byline_and_one_tap_away(browser, sample_site, javascript):
    context, page = open_page(browser, sample_site, PLAN, PHONE, javascript)
    byline = page.locator(".doc-byline")
    assert byline.is_visible() and "兰山区方城镇" in byline.inner_text() and "2021-07-24" in byline.inner_text()
    label = page.locator(".meta dt", has_text="索引号")
    assert label.is_hidden()
    page.get_by_text("文件信息（索引号等）").click()
    assert label.is_visible() and page.locator(".meta dd", has_text="lanshanqufczzf/2021-0000679").is_visible()
    context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_desktop_shows_the_metadata_grid_without_a_tap(browser, sample_site, javascript):
    context, page = open_page(browser, sample_site, PLAN, DESKTOP, javascript)
    assert page.locator(".doc-byline").is_hidden() and page.locator(".doc-info > summary").is_hidden()
    boxes = {name: page.locator(".meta dt", has_text=re.compile(f"^{name}$")).bounding_box()
             for name in ("索引号", "公开目录", "发布机构", "发布日期", "标题")}
    # Two fields a row: 索引号 | 公开目录, 发布机构 | 发布日期; 标题 starts a row of its own.
    assert boxes["索引号"]["y"] == boxes["公开目录"]["y"] and boxes["公开目录"]["x"] > boxes["索引号"]["x"]
    assert boxes["发布机构"]["y"] == boxes["发布日期"]["y"] > boxes["索引号"]["y"]
    assert boxes["标题"]["x"] == boxes["索引号"]["x"]
    title = page.locator(".meta dd", has_text="方城镇2021年政务公开实施方案").bounding_box()
    assert title["x"] + title["width"] > boxes["公开目录"]["x"]  # the title spans both columns
    assert page.get_by_role("navigation", name="主导航").is_visible()
    assert page.locator(".site-menu > summary").is_hidden()
    context.close()


def test_qr_code_only_where_a_phone_can_scan_it(browser, sample_site):
    context, page = open_page(browser, sample_site, PLAN, PHONE)
    assert page.locator(".qr-code").is_hidden()
    page.set_viewport_size(DESKTOP)
    assert page.locator(".qr-code").is_visible()
    context.close()


def test_signature_is_right_aligned_and_body_has_a_first_line_indent(browser, sample_site):
    context, page = open_page(browser, sample_site, PLAN, DESKTOP)
    body = page.locator(".doc-body")
    last = page.locator(".doc-body p.signature").last
    assert last.inner_text() == "2021年7月23日"
    assert last.evaluate("p => getComputedStyle(p).textAlign") == "right"
    box, frame = last.bounding_box(), body.locator("> p").first.bounding_box()
    assert box["x"] + box["width"] == pytest.approx(frame["x"] + frame["width"], abs=1)
    indent = body.locator("> p").first.evaluate("p => parseFloat(getComputedStyle(p).textIndent) / parseFloat(getComputedStyle(p).fontSize)")
    assert indent == pytest.approx(2)
    # About 38 characters a line: the measure of a 公文, not the width of the screen.
    chars = body.locator("> p").first.evaluate("p => p.getBoundingClientRect().width / parseFloat(getComputedStyle(p).fontSize)")
    assert 30 <= chars <= 40, chars
    context.close()


@pytest.mark.parametrize("copy", ["", "zh-hant/"])
def test_elder_pages_print_like_standard_pages(browser, sample_site, copy):
    """长者模式 sizes are for the screen: its print is no longer than the standard page's."""
    counts = []
    for prefix in ("", "elder/"):
        context, page = open_page(browser, sample_site, copy + prefix + PLAN, DESKTOP)
        page.emulate_media(media="print")
        assert page.locator(".meta").is_visible()  # the metadata prints even though it is a <details>
        pdf = page.pdf(format="A4")
        counts.append(len(re.findall(rb"/Type\s*/Page[^s]", pdf)))
        context.close()
    print(f"\nMEASURE print pages standard={counts[0]} elder={counts[1]}")
    assert counts[1] == counts[0] and counts[0] <= 4


def test_traditional_pages_use_traditional_fonts(browser, sample_site):
    context, page = open_page(browser, sample_site, "zh-hant/" + PLAN, DESKTOP)
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith('"PingFang TC"')
    page.goto(sample_site + PLAN)
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith('"PingFang SC"')
    context.close()


def test_breadcrumb_is_one_line_on_phones_and_its_separators_are_silent(browser, sample_site):
    context, page = open_page(browser, sample_site, PLAN, PHONE)
    crumbs = page.get_by_role("navigation", name="当前位置")
    assert crumbs.bounding_box()["height"] <= 50
    assert "›" not in crumbs.aria_snapshot()
    assert crumbs.get_by_role("link", name="工作推进").is_visible()  # the parent stays
    page.set_viewport_size(DESKTOP)
    assert crumbs.get_by_role("link", name="政务公开保障机制").is_visible()  # the whole trail on wide screens
    context.close()


def test_policy_and_its_interpretation_point_at_each_other_under_the_title(browser, sample_site):
    context, page = open_page(browser, sample_site, POLICY, PHONE)
    box = page.locator(".doc-head .interpretation")
    link = box.get_by_role("link")
    assert link.count() == 1 and "2021-0000567" in link.get_attribute("href")
    assert box.bounding_box()["y"] < page.locator(".doc-body").bounding_box()["y"]
    page.goto(sample_site + READING)
    box = page.locator(".doc-head .interpretation")
    assert box.inner_text().startswith("解读对象：") and "2021-0000566" in box.get_by_role("link").get_attribute("href")
    context.close()


def test_home_leads_to_interpretations_rules_guide_and_reports(browser, sample_site):
    context, page = open_page(browser, sample_site, "", PHONE)
    links = page.locator(".shortcuts a")
    found = {re.sub(r"\s*（.*", "", links.nth(i).inner_text(), flags=re.S): links.nth(i).get_attribute("href")
             for i in range(links.count())}
    assert found == {"政策解读": "fdzdgknr/fgwj/zcjd/", "现行有效规范性文件": "rules/current/",
                     "政府信息公开指南": "guide/", "政府信息公开年报": "nb/"}
    assert links.first.bounding_box()["y"] < 400  # on the first screen of a phone
    context.close()


def test_the_toolbar_fits_a_phone_in_a_few_rows(browser, sample_site):
    context, page = open_page(browser, sample_site, PLAN, PHONE)
    page.locator(".site-menu > summary").click()
    page.get_by_role("button", name="无障碍").click()
    toolbar = page.get_by_role("region", name="无障碍工具条")
    assert toolbar.is_visible()
    height = toolbar.bounding_box()["height"]
    print(f"\nMEASURE toolbar height at 375 px: {height}")
    assert height <= 420
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()


def test_skip_link_stays_out_of_sight_until_focused_at_any_text_size(browser, sample_site):
    context, page = open_page(browser, sample_site, PLAN, PHONE)
    page.evaluate("document.documentElement.style.fontSize = '200%'")  # the toolbar's largest size
    link = page.locator(".skip-link")
    box = link.bounding_box()
    assert box["width"] <= 1 and box["height"] <= 1, box
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    box = link.bounding_box()
    assert box["height"] >= 44 and 0 <= box["y"] < 100, box
    context.close()
