"""Issue 15's acceptance, measured in Chromium: no sideways scrolling (320 px; 375 px at every toolbar
text size; 1,280 px at 200 % text), the body of a document on the first phone screen, labels and 年报
headers that do not break inside a word, 年报 tables that scroll in place with sticky row headers, and
已废止 beside the repealed document wherever it is listed. One browser context per copy, reused
from page to page; every offender is collected and reported at once."""
from __future__ import annotations

import pytest

from measure import (TEXT_SIZES, bad_line_breaks, first_visible_top, links_to, report_tables, scroll_width,
                     scroll_widths)
from pages import COPIES, OPTIONAL, PAGES, address, in_copy, is_elder, is_search
from search_page import wait_for_results

DOCUMENT = "doc/lanshanqufczzf/2021-0000679/"
ANNUAL_REPORT = "doc/lanshanqufczzf/2022-0000008/"
REPEALED = "doc/lanshanqufczzf/2018-0000212/"  # 方城镇政务公开工作考核办法（试行）, 已废止
# The lists that show the repealed document in the sample (its categories up the tree, its agency and
# year, the catalogue of ended documents), and the home page's latest list in case it appears there.
REPEALED_LISTS = {"home": "", "category": "fdzdgknr/", "法规文件": "fdzdgknr/fgwj/",
                  "行政规范性文件": "fdzdgknr/fgwj/xzgfxwj/", "agency": "agency/fczzf/", "year": "year/2018/",
                  "ended documents": "rules/ended/"}
LABELS = ".meta th, .meta dt"  # table.meta today, dl.meta after the rework
REPORT_HEADERS = ".report thead th"
PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 900}
# Widths and the toolbar text sizes (%) tried at each: 320 px; 375 px at every size; 1,280 px at 200 %.
SIDEWAYS = ((320, (100,)), (375, TEXT_SIZES), (1280, (200,)))


@pytest.fixture
def tab(browser):
    """A fresh tab (its own context) for one copy's pages."""
    context = browser.new_context(viewport=DESKTOP)
    yield context.new_page()
    context.close()


def visit(page, site: str, copy: str, name: str, path: str) -> bool:
    """Open a page in one copy; False for an optional page the build does not write (yet)."""
    response = page.goto(address(site, copy, path))
    if response.status == 404 and name in OPTIONAL:
        return False
    assert response.ok, f"{copy} {name}: HTTP {response.status} for {COPIES[copy]}{path}"
    if is_search(path):
        wait_for_results(page)
    return True


@pytest.mark.parametrize("copy", COPIES)
def test_no_page_scrolls_sideways(tab, sample_site, copy):
    """WCAG 1.4.10 / 1.4.4: at 320 px; at 375 px with each toolbar text size; at 1,280 px with 200 % text
    (the toolbar's 200 %: the root font at 200 %, 300 % in 长者模式 whose root is 150 %)."""
    offenders, skipped = {}, []
    for name, path in PAGES.items():
        if not visit(tab, sample_site, copy, name, path):
            skipped.append(name)
            continue
        for width, sizes in SIDEWAYS:
            tab.set_viewport_size({"width": width, "height": 800})
            for size, wide in scroll_widths(tab, sizes).items():
                if wide > width:
                    offenders.setdefault(name, []).append(f"{width}px@{size}%={wide}px")
    print(f"\nMEASURE sideways {copy}: {len(offenders)} of {len(PAGES) - len(skipped)} pages scroll sideways"
          + (f" (skipped, not built: {', '.join(skipped)})" if skipped else ""))
    for name, found in offenders.items():
        print(f"MEASURE   {name}: {' '.join(found)}")
    assert offenders == {}


@pytest.mark.parametrize("copy", COPIES)
def test_document_body_starts_on_the_first_phone_screen(tab, sample_site, copy):
    tab.set_viewport_size(PHONE)
    visit(tab, sample_site, copy, "document", DOCUMENT)
    heading = first_visible_top(tab, "h1")
    body = first_visible_top(tab, ".doc-body p")
    limit = 1000 if is_elder(copy) else PHONE["height"]
    print(f"\nMEASURE first screen {copy} 375x667: h1 at {heading}px, first body paragraph at {body}px (limit {limit})")
    assert body is not None, "no visible .doc-body p"
    assert body <= limit


@pytest.mark.parametrize("copy", COPIES)
def test_labels_and_report_headers_do_not_break_inside_words(tab, sample_site, copy):
    """Metadata labels on every page that has them, and the 年报 column headers, at 375 and 1,280 px.
    A collapsed metadata block (<details>) is opened first: a reader is one tap from it."""
    offenders, checked = {}, {375: 0, 1280: 0}
    for name, path in PAGES.items():
        if is_search(path) or not visit(tab, sample_site, copy, name, path):
            continue
        tab.evaluate("document.querySelectorAll('details').forEach(d => { if (d.querySelector('.meta')) d.open = true; })")
        selector = LABELS + (", " + REPORT_HEADERS if path == ANNUAL_REPORT else "")
        for width in checked:
            tab.set_viewport_size({"width": width, "height": 800})
            found = bad_line_breaks(tab, selector)
            checked[width] += found["checked"]
            if found["bad"]:
                offenders[f"{name} @{width}px"] = found["bad"]
    print(f"\nMEASURE word breaks {copy}: {checked[375]} labels/headers measured at 375px, {checked[1280]} at 1280px;"
          f" {sum(map(len, offenders.values()))} broken inside a word (/ marks the break)")
    for where, texts in offenders.items():
        print(f"MEASURE   {where}: {' '.join(texts)}")
    assert all(checked.values()), f"no metadata label or 年报 header found ({LABELS}; {REPORT_HEADERS})"
    assert offenders == {}


@pytest.mark.parametrize("copy", COPIES)
def test_report_tables_scroll_in_place_with_sticky_row_headers(tab, sample_site, copy):
    """On a phone each wide 年报 table (8 columns or more: 收到和处理申请 and 行政复议、行政诉讼) scrolls
    inside its .table-scroll region, the page itself does not scroll sideways, and scrolled to its far
    end a table still shows its first row header (th[scope=row]) inside the region."""
    tab.set_viewport_size(PHONE)
    visit(tab, sample_site, copy, "annual report", ANNUAL_REPORT)
    page_width = scroll_width(tab)
    tables = report_tables(tab)
    scrolled = report_tables(tab, scroll_to_end=True)
    print(f"\nMEASURE 年报 {copy} @375px: document {page_width}px wide")
    problems = [] if page_width <= PHONE["width"] else [f"the page scrolls sideways: {page_width}px"]
    for before, after in zip(tables, scrolled):
        print(f"MEASURE   {before['caption']!r} ({before['columns']} columns) in "
              f".{before['container']}: scrollWidth {before['scrollWidth']} / clientWidth {before['clientWidth']}; "
              f"row header {after['rowHeader']!r} at {after['rowHeaderLeft']} vs region {after['boxLeft']} "
              f"after scrollLeft={after['scrollLeft']}")
        scrolls = before["scrollWidth"] > before["clientWidth"]
        if before["columns"] >= 8 and not scrolls:
            problems.append(f"{before['caption']!r} ({before['columns']} columns) does not scroll in its region")
        if scrolls and after["rowHeader"] is not None and after["rowHeaderLeft"] < after["boxLeft"] - 1:
            problems.append(f"{before['caption']!r}: row header {after['rowHeader']!r} scrolled out "
                            f"({after['rowHeaderLeft']} < {after['boxLeft']})")
    assert sum(t["columns"] >= 8 for t in tables) >= 2, tables  # the sample's two wide tables are there
    assert problems == []


@pytest.mark.parametrize("copy", COPIES)
def test_repealed_document_says_so_in_every_list(tab, sample_site, copy):
    """已废止 (已廢止 in 繁體) as visible text in the list item (li or table row) of every list that links
    to the repealed document. Search results are tested in test_search.py."""
    word = in_copy(copy, "已废止")
    missing, absent, shown = [], [], 0
    for name, path in REPEALED_LISTS.items():
        visit(tab, sample_site, copy, name, path)
        items = [link for link in links_to(tab, REPEALED, word) if not link["inNav"]]
        if not items:
            absent.append(name)
        shown += len(items)
        missing += [f"{name}: <{item['item']}> {item['text'][:40]!r}…" for item in items if not item["shown"]]
    print(f"\nMEASURE {word} {copy}: listed {shown} times, without the word {len(missing)}"
          f"; not listed on {', '.join(absent) or '-'}")
    for line in missing:
        print(f"MEASURE   {line}")
    assert shown, "the repealed document is in no list"
    assert missing == []
