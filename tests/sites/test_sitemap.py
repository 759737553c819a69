"""sitemap.xml and robots.txt: exactly the public pages, each with a date."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote

from gongkai import sitemap
from gongkai.build import build

ROOT = Path(__file__).resolve().parents[2]
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_the_sitemap_lists_exactly_the_public_pages(tmp_path):
    out = tmp_path / "output"
    result = build(ROOT / "config.yml", ROOT / "content", out)
    base = result.base_url
    tree = ET.parse(out / "sitemap.xml")
    listed = {u.findtext("s:loc", namespaces=NS): u.findtext("s:lastmod", namespaces=NS)
              for u in tree.getroot().findall("s:url", NS)}
    # The standard pages of both scripts (the sample builds the 繁體 mirror too).
    rels = [p.relative_to(out).as_posix() for p in out.rglob("*.html")]
    pages = {base + quote(rel.removesuffix("index.html"), safe="/~-_.") for rel in rels
             if rel.removeprefix("zh-hant/").split("/")[0] not in ("elder", "pagefind", "postings")
             and not rel.endswith("404.html")}
    assert set(listed) == pages and len(pages) == result.pages // 2 - 2
    assert {url.removeprefix(base + "zh-hant/") for url in pages if url.startswith(base + "zh-hant/")} == {
        url.removeprefix(base) for url in pages if not url.startswith(base + "zh-hant/")}
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in listed.values())
    # A document's page carries its own date; the sample's withheld document is nowhere.
    assert listed[base + "doc/lanshanqufczzf/2021-0000679/"] == "2021-07-24"
    assert not any("2021-0000701" in url for url in listed)  # the sample's 不予公开 entry
    robots = (out / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {base}sitemap.xml" in robots.splitlines()


def test_past_fifty_thousand_pages_an_index_names_the_parts():
    import datetime as dt
    pages = [(f"doc/a/{i}/", dt.date(2024, 1, 1) + dt.timedelta(days=i % 300)) for i in range(sitemap.LIMIT + 5)]
    files = dict(sitemap.files("https://example.gov.cn/", pages))
    assert set(files) == {"sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "robots.txt"}
    index = ET.fromstring(files["sitemap.xml"])
    assert index.tag == f"{{{NS['s']}}}sitemapindex"
    assert [s.findtext("s:loc", namespaces=NS) for s in index] == [
        "https://example.gov.cn/sitemap-1.xml", "https://example.gov.cn/sitemap-2.xml"]
    counts = [len(ET.fromstring(files[name]).findall("s:url", NS)) for name in ("sitemap-1.xml", "sitemap-2.xml")]
    assert counts == [sitemap.LIMIT, 5]
