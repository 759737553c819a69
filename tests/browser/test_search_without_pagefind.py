"""config.yml `search: {pagefind: false}`: no Pagefind bundle is built, and search works the same
from postings/ alone, but for a query of one character, which asks for a second."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from chromium import serve
from gongkai.build import build
from search_page import search

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nopagefind")
    config = tmp / "config.yml"
    config.write_text((ROOT / "config.yml").read_text(encoding="utf-8") + "search:\n  pagefind: false\n",
                      encoding="utf-8")
    out = tmp / "output"
    result = build(config, ROOT / "content", out)
    with serve(out, base=urlsplit(result.base_url).path) as address:
        yield out, address


def test_no_bundle_is_built_and_nothing_names_one(site):
    out, _address = site
    assert not (out / "pagefind").exists() and not (out / "zh-hant" / "pagefind").exists()
    assert (out / "postings" / "index.json").is_file() and any((out / "postings" / "d").iterdir())
    page = (out / "search" / "index.html").read_text(encoding="utf-8")
    assert "data-bundle" not in page and "data-shards" not in page


def test_search_finds_from_postings_alone(page, site):
    _out, address = site
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    results = search(page, address, q="政务公开考核办法")
    assert results and results[0]["title"].startswith("方城镇政务公开工作考核办法")
    assert "<mark>" in results[0]["excerpt_html"]
    assert not [url for url in requested if "/pagefind/" in url]


def test_one_character_asks_for_another(page, site):
    _out, address = site
    page.goto(address + "search/?q=税")
    status = page.locator("#search-status")
    status.filter(has_text="请至少输入两个字").wait_for()
    assert page.locator("#search-results li").count() == 0
    assert page.locator("#search-results").get_attribute("data-match") == "short"
