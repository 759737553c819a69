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
        html = re.search(r'<select id="f-source".*?</select>', site.page(copy + "search/all/index.html"), re.S)[0]
        options = [dict(re.findall(r'(data-[a-z-]+)="([^"]*)"', attrs))
                   for attrs in re.findall(r"<option value=\"[^\"]+\"([^>]*)>", html)]
        at = lambda key: [urljoin(path, o[key]) if key in o else None for o in options]  # noqa: E731
        script = "zh-hant/" if copy.startswith("zh-hant/") else ""
        others = ["/yixian/", "https://bing.example.gov.cn/xxgk/"]
        # Results open in the same copy (长者模式, 繁體) as the page, in this column and the others.
        assert at("data-root") == ["/xxgk/" + copy] + [o + copy for o in others], copy
        # Indexes: this column's own copy; the others' 繁體 copy in the mirror, their 简体 site failing that.
        assert at("data-postings") == [c + script + "postings/index.json" for c in ["/xxgk/"] + others], copy
        assert at("data-pagefind") == [c + script + "pagefind/" for c in ["/xxgk/"] + others], copy
        assert at("data-fallback") == [None] + (others if script else [None, None]), copy
        assert at("data-fallback-root") == [None] + ([o + copy.removeprefix(script) for o in others]
                                                     if script else [None, None]), copy
    assert 'href="all/"' in site.page("search/index.html")  # the column's own search offers it
    assert "search/all/" in site.page("sitemap.xml")


def test_no_portal_page_unless_asked_and_bad_addresses_are_named(site_root):
    site = make_site(site_root, {"a.md": doc()})
    site.build()
    assert not (site.output / "search/all").exists()
    site.config.write_text(CONFIG + "federation:\n  - {name: 乙县, url: yixian.gov.cn}\n  - {name: 丁县}\n"
                           "  - {name: 戊县, url: wuxian/}\n  - {name: 己县, url: ../jixian/}\n"
                           "  - {name: 己县, url: ../jixian2/}\n  - {name: 测试专栏, url: ../self/}\n",
                           encoding="utf-8")
    errors = site.build_fails()
    assert any("E005" in e and "yixian.gov.cn" in e for e in errors), errors
    assert any("E005" in e and "wuxian/" in e for e in errors), errors  # inside this site's own folder
    assert any("E004" in e and "url" in e for e in errors), errors
    assert sum("E006" in e for e in errors) == 2, errors  # 己县 twice; 测试专栏 is this site
