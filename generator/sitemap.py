"""sitemap.xml (with each page's last change) and robots.txt naming it, for search engines.

Only the pages readers are sent to: the standard page of every published document, list and
site page; not the 长者模式 twins (their canonical link names the standard page), not 404.html.
"""
from __future__ import annotations

import datetime as dt
from urllib.parse import quote
from xml.sax.saxutils import escape

LIMIT = 50000  # URLs one sitemap file may hold (sitemaps.org); more go into several, named by an index
_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def files(base_url: str, pages: list[tuple[str, dt.date]]) -> list[tuple[str, bytes]]:
    """(path, bytes) of sitemap.xml (and sitemap-N.xml past LIMIT) and robots.txt; `pages` are
    (site path, date of the newest document the page shows)."""
    pages = sorted(pages)
    parts = [pages[i:i + LIMIT] for i in range(0, len(pages), LIMIT)] or [[]]
    out = []
    if len(parts) == 1:
        out.append(("sitemap.xml", _urlset(base_url, parts[0])))
    else:
        names = [f"sitemap-{n}.xml" for n in range(1, len(parts) + 1)]
        out += [(name, _urlset(base_url, part)) for name, part in zip(names, parts)]
        entries = "".join(f"<sitemap><loc>{escape(base_url + name)}</loc>"
                          f"<lastmod>{max(d for _u, d in part).isoformat()}</lastmod></sitemap>\n"
                          for name, part in zip(names, parts))
        out.append(("sitemap.xml", _document("sitemapindex", entries)))
    robots = f"User-agent: *\nAllow: /\n\nSitemap: {base_url}sitemap.xml\n"
    out.append(("robots.txt", robots.encode("utf-8")))
    return out


def _urlset(base_url: str, pages: list[tuple[str, dt.date]]) -> bytes:
    entries = "".join(f"<url><loc>{escape(base_url + quote(url, safe='/~-_.'))}</loc>"
                      f"<lastmod>{date.isoformat()}</lastmod></url>\n" for url, date in pages)
    return _document("urlset", entries)


def _document(root: str, entries: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} xmlns="{_NS}">\n{entries}</{root}>\n').encode("utf-8")
