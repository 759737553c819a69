"""联合搜索 as built: the search/all/ page, in every copy, names each column's index where it is."""
from __future__ import annotations

import re
from urllib.parse import urljoin

from helpers import CONFIG, doc, make_site

FEDERATION = ("federation:\n  - {name: 乙县, url: ../yixian/}\n"
              "  - {name: 丙市, url: https://bing.example.gov.cn/xxgk/}\n")


def test_every_copy_of_the_portal_page_points_at_each_column(site_root):
    site = make_site(site_root, {"a.md": doc()}, config=CONFIG.replace(
        "https://example.gov.cn/", "https://example.gov.cn/xxgk/") + "traditional: true\n" + FEDERATION)
    site.build()
    for copy in ("", "elder/", "zh-hant/", "zh-hant/elder/"):
        path = "/xxgk/" + copy + "search/all/"
        html = site.page(copy + "search/all/index.html")
        options = re.findall(r'<option value="([^"]*)" data-root="([^"]*)" data-postings="([^"]*)" '
                             r'data-pagefind="([^"]*)">', html)
        roots = {name: urljoin(path, root) for name, root, _p, _f in options}
        own = "/xxgk/" + copy  # results open in the same copy (长者模式, 繁體) as the page
        assert list(roots.values()) == [own, "/yixian/", "https://bing.example.gov.cn/xxgk/"], (copy, roots)
        postings = [urljoin(path, p) for _n, _r, p, _f in options]
        assert postings[0] == ("/xxgk/zh-hant/" if copy.startswith("zh-hant") else "/xxgk/") + "postings/index.json"
        assert postings[1:] == ["/yixian/postings/index.json", "https://bing.example.gov.cn/xxgk/postings/index.json"]
    assert 'href="all/"' in site.page("search/index.html")  # the column's own search offers it
    assert "search/all/" in site.page("sitemap.xml")


def test_no_portal_page_unless_asked_and_bad_addresses_are_named(site_root):
    site = make_site(site_root, {"a.md": doc()})
    site.build()
    assert not (site.output / "search/all").exists()
    site.config.write_text(CONFIG + "federation:\n  - {name: 乙县, url: yixian.gov.cn}\n  - {name: 丁县}\n",
                           encoding="utf-8")
    errors = site.build_fails()
    assert any("E005" in e and "yixian.gov.cn" in e for e in errors), errors
    assert any("E004" in e and "url" in e for e in errors), errors
