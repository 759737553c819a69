"""WCAG 2.2 AA in Chromium: axe on every page type in every reading mode, the accessibility tree,
the toolbar by keyboard, and 长者模式 measured."""
from __future__ import annotations

import json

import pytest

from gongkai import traditional
from measure import axe, focus_ring_contrast, smallest_target, worst_text_contrast
from pages import PAGES
from search_page import wait_for_results

HANT = traditional.Converter(traditional.DEFAULT)
MODES = {
    "default": {},
    "elder": {"prefix": "elder/"},
    "black-on-white": {"prefs": {"scheme": "contrast-bw"}},
    "yellow-on-black": {"prefs": {"scheme": "contrast-yb"}},
    "320px": {"viewport": {"width": 320, "height": 800}},
    "hant": {"prefix": "zh-hant/"},  # the mirror (config.yml: traditional: true) passes the same checks
    "hant-elder": {"prefix": "zh-hant/elder/"},
}
# Text contrast each mode promises: AA everywhere, AAA (7:1) in 长者模式 and the high-contrast schemes.
MIN_CONTRAST = {"default": 4.5, "elder": 7, "black-on-white": 7, "yellow-on-black": 7, "320px": 4.5, "hant": 4.5,
                "hant-elder": 7}
MIN_TARGET = {"default": 44, "elder": 60, "black-on-white": 44, "yellow-on-black": 44, "320px": 44, "hant": 44,
              "hant-elder": 60}


def open_page(browser, site: str, path: str, mode: dict, javascript: bool = True):
    context = browser.new_context(viewport=mode.get("viewport", {"width": 1280, "height": 900}),
                                  java_script_enabled=javascript)
    if "prefs" in mode:
        context.add_init_script(f"localStorage.setItem('gongkai-a11y', {json.dumps(json.dumps(mode['prefs']))})")
    page = context.new_page()
    if mode.get("prefix", "").startswith(traditional.PREFIX):
        path = HANT.text(path)  # a search typed in 繁體, on the mirror's own index
    page.goto(site + mode.get("prefix", "") + path)
    if path.startswith("search/?") and javascript:
        wait_for_results(page)
    return context, page


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", PAGES)
def test_axe_contrast_and_targets(browser, sample_site, name, mode):
    context, page = open_page(browser, sample_site, PAGES[name], MODES[mode])
    try:
        assert axe(page) == []
        worst = worst_text_contrast(page)
        smallest = smallest_target(page)
        print(f"\nMEASURE {mode} {name} contrast={worst['ratio']} target={smallest['size']} "
              f"({worst.get('text')!r}; {smallest.get('text')!r})")
        assert worst["ratio"] >= MIN_CONTRAST[mode], worst
        assert smallest["size"] >= MIN_TARGET[mode], smallest
        if mode == "320px":  # reflow: nothing scrolls sideways at 320 CSS px
            assert page.evaluate("document.documentElement.scrollWidth") <= 320
    finally:
        context.close()


def test_text_spacing_overrides_do_not_break_the_layout(browser, sample_site):
    """WCAG 1.4.12: line height 1.5, paragraph spacing 2em, letter 0.12em, word 0.16em."""
    context, page = open_page(browser, sample_site, PAGES["document"], MODES["320px"])
    page.add_style_tag(content="* { line-height: 1.5 !important; letter-spacing: 0.12em !important; "
                               "word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    clipped = page.evaluate("""() => [...document.querySelectorAll('a, button, th, td, h1, h2, p')]
        .filter(e => e.offsetParent && e.scrollHeight > e.clientHeight + 2 && getComputedStyle(e).overflowY === 'hidden'
                     && getComputedStyle(e).clip === 'auto')  // not text hidden on purpose for screen readers
        .map(e => e.textContent.slice(0, 20))""")
    assert clipped == []
    context.close()


def test_document_accessibility_tree(browser, sample_site):
    context, page = open_page(browser, sample_site, PAGES["document"], MODES["default"])
    tree = page.locator("body").aria_snapshot()
    assert "- banner:" in tree and "- contentinfo:" in tree
    assert '- navigation "当前位置":' in tree and '- navigation "主导航":' in tree
    main = page.get_by_role("main").aria_snapshot()
    assert main.count("[level=1]") == 1
    assert '- heading "方城镇2021年政务公开实施方案" [level=1]' in main
    # The metadata: a group named 文件信息 of term and definition pairs (a grid on wide screens).
    info = page.get_by_role("group", name="文件信息").aria_snapshot()
    for label in ("索引号", "公开目录", "发布机构", "发布日期", "公开方式", "文号", "有效性", "标题"):
        assert f"- term: {label}" in info
    assert "- definition: lanshanqufczzf/2021-0000679" in info
    assert page.get_by_role("navigation", name="当前位置").locator("[aria-current=page]").inner_text() == "正文"
    assert page.get_by_role("img", name="本页二维码，内容为本页地址：https://example.gov.cn/xxgk/doc/lanshanqufczzf/2021-0000679/").count() == 1
    context.close()


def test_headings_are_in_order(browser, sample_site):
    context = browser.new_context()
    page = context.new_page()
    for name, path in PAGES.items():
        page.goto(sample_site + path)
        if path.startswith("search/?"):
            wait_for_results(page)
        levels = page.evaluate("[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].filter(h => h.offsetParent)"
                               ".map(h => +h.tagName[1])")
        assert levels[0] == 1 and levels.count(1) == 1, name
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), (name, levels)
    context.close()


def tab_to(page, predicate: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(predicate):
            return
    raise AssertionError(f"never reached {predicate}")


def test_toolbar_by_keyboard_only(browser, sample_site):
    context, page = open_page(browser, sample_site, PAGES["document"], MODES["default"])
    root = page.locator("html")
    tab_to(page, "document.activeElement.classList.contains('toolbar-toggle')")
    ring = focus_ring_contrast(page)
    assert ring["ratio"] >= 3 and ring["width"] >= 2, ring
    page.keyboard.press("Enter")
    toolbar = page.get_by_role("region", name="无障碍工具条")
    assert toolbar.is_visible() and page.evaluate("document.activeElement.textContent") == "字号减小"
    status = toolbar.get_by_role("status")

    def operate(label: str, key: str) -> None:
        tab_to(page, f"document.activeElement.textContent.replace('✓ ', '') === {json.dumps(label)}", 20)
        ring = focus_ring_contrast(page)
        assert ring["ratio"] >= 3, (label, ring)
        page.keyboard.press(key)

    operate("字号增大", "Space")
    assert page.evaluate("document.documentElement.style.fontSize") == "120%"
    assert status.inner_text() in ("", "字号：120%")
    page.wait_for_function("document.querySelector('.toolbar-status').textContent === '字号：120%'")
    operate("黑底黄字", "Enter")
    assert "contrast-yb" in root.get_attribute("class")
    assert toolbar.get_by_role("button", name="黑底黄字").get_attribute("aria-pressed") == "true"
    operate("加大行距", "Space")
    assert "spacing" in root.get_attribute("class")
    operate("辅助线", "Enter")
    assert page.locator(".reading-guide").count() == 2
    operate("大鼠标", "Space")
    assert "big-cursor" in root.get_attribute("class")
    operate("纯文本", "Enter")
    assert "text-only" in root.get_attribute("class")
    assert page.locator(".qr-code").is_hidden()
    # Headless Chromium has no Chinese voice: read-aloud says so instead of failing silently.
    operate("连读", "Enter")
    page.wait_for_function("document.querySelector('.toolbar-status').textContent.startsWith('本浏览器没有可用的中文语音')")
    assert toolbar.get_by_role("button", name="连读").get_attribute("aria-pressed") == "false"
    operate("指读", "Space")
    assert toolbar.get_by_role("button", name="指读").get_attribute("aria-pressed") == "false"
    operate("停止朗读", "Enter")
    page.wait_for_function("document.querySelector('.toolbar-status').textContent === '已停止朗读'")

    # Settings hold on the next page.
    page.get_by_role("navigation", name="当前位置").get_by_role("link", name="首页").click()
    assert {"contrast-yb", "spacing", "big-cursor", "text-only"} <= set(root.get_attribute("class").split())
    assert page.evaluate("document.documentElement.style.fontSize") == "120%"
    # ...but the toolbar itself stays closed until the reader opens it again.
    assert page.get_by_role("region", name="无障碍工具条").is_hidden()
    assert page.locator(".toolbar-toggle").get_attribute("aria-expanded") == "false"
    page.locator(".toolbar-toggle").focus()
    page.keyboard.press("Enter")
    assert page.get_by_role("region", name="无障碍工具条").is_visible()

    # Reset, then Escape closes the toolbar and gives focus back to its switch: nothing is trapped.
    page.get_by_role("button", name="全部重置").focus()
    page.keyboard.press("Enter")
    assert (root.get_attribute("class") or "").strip() == ""
    assert page.evaluate("document.documentElement.style.fontSize") == ""
    page.keyboard.press("Escape")
    assert page.get_by_role("region", name="无障碍工具条").is_hidden()
    assert page.evaluate("document.activeElement.classList.contains('toolbar-toggle')")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "site-search-q"
    context.close()


def test_focus_ring_contrast_across_the_page(browser, sample_site):
    context, page = open_page(browser, sample_site, PAGES["document"], MODES["default"])
    worst = {"ratio": 99}
    for _ in range(25):
        page.keyboard.press("Tab")
        ring = focus_ring_contrast(page)
        worst = min(worst, ring, key=lambda r: r["ratio"])
    print(f"\nMEASURE focus ring worst={worst}")
    assert worst["ratio"] >= 3, worst
    context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_elder_mode_measured(browser, sample_site, javascript):
    context, page = open_page(browser, sample_site, PAGES["document"], MODES["elder"], javascript=javascript)
    paragraph = page.locator(".doc-body p").first
    style = paragraph.evaluate("""p => { const s = getComputedStyle(p);
        return {size: parseFloat(s.fontSize), line: parseFloat(s.lineHeight), after: parseFloat(s.marginBottom)}; }""")
    print(f"\nMEASURE elder js={javascript} {style}")
    assert style["size"] >= 24  # 18 pt
    assert style["line"] >= 1.8 * style["size"]
    assert style["after"] >= 1.3 * style["line"]
    assert worst_text_contrast(page)["ratio"] >= 7
    assert smallest_target(page)["size"] >= 60
    assert page.evaluate("getComputedStyle(document.body).cursor").startswith("url(")
    assert page.evaluate("[...document.getAnimations()].length") == 0
    # One column: the body text and the metadata table span the same column.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    # The mode holds from page to page with or without JavaScript.
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="法定主动公开内容").click()
    assert "/elder/fdzdgknr/" in page.url and "elder" in page.locator("html").get_attribute("class")
    page.get_by_role("link", name="退出长者模式").click()
    assert page.url.endswith("/fdzdgknr/") and "/elder/" not in page.url
    context.close()


def test_elder_search_results_stay_in_elder_mode(browser, sample_site):
    context, page = open_page(browser, sample_site, "search/?q=考核办法", MODES["elder"])
    page.locator("#search-results").get_by_role("link", name="方城镇政务公开工作考核办法", exact=True).click()
    assert "/elder/doc/lanshanqufczzf/2021-0000566/" in page.url
    context.close()


def test_print_shows_metadata_and_body_with_address(browser, sample_site):
    context, page = open_page(browser, sample_site, PAGES["document"], MODES["default"])
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden() and page.locator(".site-footer").is_hidden()
    assert page.locator(".breadcrumb").is_hidden() and page.locator(".qr-code").is_hidden()
    assert page.locator(".meta").is_visible() and page.locator(".doc-body").is_visible()
    assert page.locator(".print-only").inner_text() == \
        "本页地址：https://example.gov.cn/xxgk/doc/lanshanqufczzf/2021-0000679/"
    context.close()
