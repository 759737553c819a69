"""Driving our search page in Chromium: a query in, the result list out."""
from __future__ import annotations

import re
from urllib.parse import unquote, urlencode, urlsplit

DONE = re.compile(r"^(找到|没有找到|沒有找到|没有完全匹配|沒有完全匹配|搜索暂时无法使用|搜索暫時無法使用)")  # and in 繁體


def wait_for_results(page) -> str:
    status = page.locator("#search-status")
    page.wait_for_function(
        "() => /^(找到|没有找到|沒有找到|没有完全匹配|沒有完全匹配|搜索暂时无法使用|搜索暫時無法使用)/"
        ".test(document.getElementById('search-status').textContent)")
    return status.inner_text()


def search(page, site: str, every: bool = False, path: str = "search/", **params) -> list[dict]:
    """Open the search page (or another at `path`, such as search/all/) with these URL parameters;
    the results as shown, in order (with every=True, after pressing 显示更多结果 until all are shown)."""
    page.goto(site + path + "?" + urlencode(params))
    wait_for_results(page)
    return show_all(page) if every else shown(page)


def show_all(page) -> list[dict]:
    """The results of the search on the page, after pressing 显示更多结果 until all are shown."""
    more = page.locator("#search-more")
    while more.is_visible():
        count = page.locator("#search-results > li").count()
        more.click()
        page.wait_for_function(f"() => document.querySelectorAll('#search-results > li').length > {count}")
    return shown(page)


def shown(page) -> list[dict]:
    results = []
    for item in page.locator("#search-results > li").all():
        link = item.locator("h3 a")
        meta = {dt: dd for dt, dd in zip(item.locator("dt").all_inner_texts(), item.locator("dd").all_inner_texts())}
        results.append({"title": link.inner_text(), "path": unquote(urlsplit(link.get_attribute("href")).path),
                        "meta": meta, "excerpt_html": item.locator(".excerpt").inner_html(),
                        "badges": item.locator("h3 .badge").all_inner_texts()})
    return results


def index_no(result: dict) -> str:
    return result["meta"].get("索引号", "")
