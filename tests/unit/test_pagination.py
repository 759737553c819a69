"""Windowed pagination: routes.window picks the page numbers, partials/pagination.html shows them
with 首页 / 上一页 / 下一页 / 尾页 and 共 N 页."""
from __future__ import annotations

import re

import pytest

from gongkai.build import THEMES
from gongkai.render import environment
from gongkai.routes import Pagination, window


@pytest.mark.parametrize("number, count, expected", [
    (1, 1, [1]),
    (1, 2, [1, 2]),
    (2, 2, [1, 2]),
    (1, 5, [1, 2, 3, 4, 5]),
    (1, 7, [1, 2, 3, 4, 5, None]),
    (3, 7, [1, 2, 3, 4, 5, None]),
    (4, 7, [None, 2, 3, 4, 5, 6, None]),
    (5, 7, [None, 3, 4, 5, 6, 7]),
    (7, 7, [None, 3, 4, 5, 6, 7]),
    (1, 100, [1, 2, 3, 4, 5, None]),
    (2, 100, [1, 2, 3, 4, 5, None]),
    (4, 100, [None, 2, 3, 4, 5, 6, None]),
    (50, 100, [None, 48, 49, 50, 51, 52, None]),
    (98, 100, [None, 96, 97, 98, 99, 100]),
    (100, 100, [None, 96, 97, 98, 99, 100]),
])
def test_window(number, count, expected):
    assert window(number, count) == expected


def test_every_window_is_at_most_five_pages_around_the_current_one():
    for count in range(1, 40):
        for number in range(1, count + 1):
            shown = window(number, count)
            numbers = [n for n in shown if n is not None]
            assert number in numbers and len(numbers) == min(5, count)
            assert numbers == list(range(numbers[0], numbers[-1] + 1))
            # A gap only at either end, and exactly where pages are left out.
            assert shown == [None] * (numbers[0] > 1) + numbers + [None] * (numbers[-1] < count)


def test_other_window_sizes():
    assert window(10, 20, size=3) == [None, 9, 10, 11, None]
    assert window(1, 20, size=1) == [1, None]


def render(number: int, count: int) -> str:
    template = environment([THEMES / "default/templates"]).get_template("partials/pagination.html")
    pagination = Pagination(number, count, "x/", count * 20, tuple(window(number, count)))
    return template.render(pagination=pagination, url=lambda target: "/" + target)


def links(html: str) -> list[str]:
    """Each link's text, with the current page marked by *."""
    found = re.findall(r'<a href="[^"]*"( aria-current="page")?[^>]*>(.*?)</a>', html)
    return [re.sub(r"<[^>]+>", "", text) + ("*" if current else "") for current, text in found]


def test_one_page_has_no_pagination():
    assert render(1, 1).strip() == ""


def test_two_pages():
    assert links(render(1, 2)) == ["第1页*", "第2页", "下一页", "尾页"]
    assert links(render(2, 2)) == ["首页", "上一页", "第1页", "第2页*"]
    assert "共 2 页" in render(1, 2) and "…" not in render(1, 2)


def test_seven_pages():
    assert links(render(1, 7)) == ["第1页*", "第2页", "第3页", "第4页", "第5页", "下一页", "尾页"]
    middle = render(4, 7)
    assert links(middle) == ["首页", "上一页", "第2页", "第3页", "第4页*", "第5页", "第6页", "下一页", "尾页"]
    assert middle.count('<li class="gap" aria-hidden="true">…</li>') == 2
    assert links(render(7, 7)) == ["首页", "上一页", "第3页", "第4页", "第5页", "第6页", "第7页*"]


def test_a_hundred_pages_show_seven_number_links_at_most():
    html = render(50, 100)
    assert links(html) == ["首页", "上一页", "第48页", "第49页", "第50页*", "第51页", "第52页", "下一页", "尾页"]
    assert re.findall(r'href="([^"]+)"', html) == [
        "/x/", "/x/page/49/", "/x/page/48/", "/x/page/49/", "/x/page/50/", "/x/page/51/", "/x/page/52/",
        "/x/page/51/", "/x/page/100/"]
    assert 'href="/x/page/49/" rel="prev"' in html and 'href="/x/page/51/" rel="next"' in html
    assert html.count('aria-current="page"') == 1 and "共 100 页" in html
    assert links(render(100, 100))[-1] == "第100页*"
