"""The sample site under its Content-Security-Policy (generator/deploy.py), in Chromium.

Every built page is scanned for what the policy forbids (inline script, <style>, style="…",
on…= handlers, javascript: URLs); then a real browser, served the site with the exact headers
nginx sends, searches (postings/ and Pagefind's WebAssembly in its worker), uses the
无障碍 toolbar, and goes to the 长者模式 and 繁體 copies, and no violation may be reported.
A canary page proves that the browser part sees a violation when there is one.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import io
import re
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from chromium import _Host
from gongkai import deploy, serve, traditional
from gongkai.build import build
from gongkai.config import load_config
from gongkai.errors import Report
from gongkai.render import ELDER
from search_page import index_no, shown, wait_for_results

ROOT = Path(__file__).resolve().parents[2]
THEME_JS = sorted((ROOT / "themes/default/static").glob("*.js"))
DOC = "doc/lanshanqufczzf/2022-0000015/"  # the one the query 确权登记 finds (tests/search/queries.yml)
CANARY = "__canary/"

# Every violation the page sees, handed to the test as it happens (across navigations).
LISTEN = """document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolation({directive: e.effectiveDirective, blocked: e.blockedURI, page: location.href,
                         line: e.lineNumber, sample: e.sample});
});"""


@pytest.fixture(scope="module")
def config():
    return load_config(ROOT / "config.yml", Report())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("csp") / "output"
    result = build(ROOT / "config.yml", ROOT / "content", out)
    return out, urlsplit(result.base_url).path


@contextlib.contextmanager
def serve_with_headers(directory: Path, base: str, headers, extra: dict[str, bytes]):
    """Like a static host (tests/browser/chromium.py) that sends `headers` with every response,
    and also serves the in-memory pages of `extra` (site path → HTML)."""

    class Host(_Host):
        def end_headers(self):
            for name, value in headers:
                self.send_header(name, value)
            super().end_headers()

        def send_head(self):
            page = extra.get(self.path.split("?", 1)[0].removeprefix(base))
            if page is None:
                return super().send_head()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            return io.BytesIO(page)

    Host.base = base
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Host, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{base}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def strict_site(built, config):
    out, base = built
    home = (out / "index.html").read_bytes()
    # What a careless template might add: each is something the policy forbids.
    canary = home.replace(b"</main>", b'<p style="color: red">inline style</p><style>p { color: red }</style>'
                                      b"<script>document.title = 'inline script';</script></main>", 1)
    assert canary != home
    with serve_with_headers(out, base, deploy.headers(config), {CANARY: canary}) as address:
        yield address


@pytest.fixture
def watched(browser):
    """A tab whose CSP violations, console errors, uncaught errors and workers are recorded."""
    context = browser.new_context()
    seen = {"violations": [], "errors": [], "workers": []}
    context.expose_function("__cspViolation", lambda v: seen["violations"].append(v))
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("worker", lambda w: seen["workers"].append(w.url))
    yield page, seen
    context.close()


URL_ATTRIBUTES = ("href", "src", "action", "formaction")


class _Forbidden(HTMLParser):
    """What the policy blocks in a page's markup, as (line, what)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self.script = False

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        line = self.getpos()[0]
        executable = (names.get("type") or "text/javascript").lower() in ("text/javascript", "module",
                                                                          "application/javascript")
        self.script = tag == "script" and "src" not in names and executable
        if tag == "style":
            self.found.append((line, "<style>"))
        for name, value in attrs:
            if name == "style":
                self.found.append((line, f'<{tag} style="{value}">'))
            elif name.startswith("on"):
                self.found.append((line, f"<{tag} {name}=…>"))
            elif name in URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.found.append((line, f"<{tag} {name}={value}>"))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        if self.script and data.strip():
            self.found.append((self.getpos()[0], "inline <script>"))

    def handle_endtag(self, tag):
        self.script = False


def forbidden(html: str) -> list[tuple[int, str]]:
    parser = _Forbidden()
    parser.feed(html)
    parser.close()
    return parser.found


def test_the_scan_finds_what_the_policy_forbids():
    assert forbidden('<p style="x">a</p>\n<style>p{}</style><script>alert(1)</script><script src="a.js"></script>'
                     '<a href=" JavaScript:go()" onclick="go()">b</a><svg><rect onload="x()"/></svg>'
                     '<script type="application/ld+json">{}</script>') == [
        (1, '<p style="x">'), (2, "<style>"), (2, "inline <script>"), (2, "<a href= JavaScript:go()>"),
        (2, "<a onclick=…>"), (2, "<rect onload=…>")]


def test_no_built_page_has_what_the_policy_forbids(built):
    out, _base = built
    pages = [p for p in sorted(out.rglob("*.html")) if "pagefind" not in p.relative_to(out).parts]
    assert len(pages) > 150  # every page type in four copies (the sample hides its empty columns)
    found = {p.relative_to(out).as_posix(): forbidden(p.read_text(encoding="utf-8")) for p in pages}
    assert {page: what for page, what in found.items() if what} == {}


# Style attributes in parsed HTML are blocked; CSSOM (el.style.top = …, style.cssText) is not.
UNSAFE_JS = re.compile(r"\.(inner|outer)HTML\b|insertAdjacentHTML|document\.write|setAttribute\(\s*[\"']style"
                       r"|\beval\(|new Function|set(Timeout|Interval)\(\s*[\"'`]|javascript:")


@pytest.mark.parametrize("name, text", [(p.name, p.read_text(encoding="utf-8")) for p in THEME_JS]
                         + [("serve.py RELOAD_JS", serve.RELOAD_JS)], ids=[p.name for p in THEME_JS] + ["reload"])
def test_scripts_write_no_markup_and_evaluate_no_strings(name, text):
    assert [m[0] for m in UNSAFE_JS.finditer(text)] == [], name


def test_the_sample_needs_no_other_origin(config):
    assert deploy.csp(config) == deploy.CSP


def test_pages_work_under_the_policy(watched, strict_site):
    page, seen = watched
    response = page.goto(strict_site)
    assert response.headers["content-security-policy"] == deploy.CSP
    assert page.get_by_role("navigation", name="主导航").is_visible()

    # Search: postings/ first; then a one-character query, which Pagefind answers (its
    # WebAssembly, compiled in its worker under 'wasm-unsafe-eval').
    page.goto(strict_site + "search/")
    page.get_by_label("关键词").fill("确权登记")
    page.get_by_label("关键词").press("Enter")
    assert wait_for_results(page).startswith("找到")
    assert "lanshanqufczzf/2022-0000015" in [index_no(r) for r in shown(page)]
    page.get_by_label("关键词").fill("镇")
    page.get_by_label("关键词").press("Enter")
    assert wait_for_results(page).startswith("找到")
    assert page.locator("#search-results > li").count() > 0
    assert any(url.endswith("/pagefind-worker.js") for url in seen["workers"])

    # A document page, its QR code, and the 无障碍 toolbar.
    page.goto(strict_site + DOC)
    assert page.locator("svg.qr").is_visible()
    page.get_by_role("button", name="无障碍").click()
    bar = page.get_by_role("region", name="无障碍工具条")
    assert bar.is_visible()
    bar.get_by_role("button", name="字号增大").click()
    page.wait_for_function("() => document.querySelector('.toolbar-status').textContent === '字号：120%'")
    assert page.evaluate("document.documentElement.style.fontSize") == "120%"
    bar.get_by_role("button", name="黑底黄字").click()
    bar.get_by_role("button", name="辅助线").click()
    page.mouse.move(120, 200)
    assert page.evaluate("document.querySelector('.reading-guide.h').style.top") == "200px"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    page.reload()  # prefs.js applies the saved settings before the page is drawn
    assert page.evaluate("document.documentElement.style.fontSize") == "120%"

    # 长者模式: its own stylesheet; text size on top of its larger base.
    page.locator(".mode-switch").click()
    page.wait_for_url(strict_site + ELDER + DOC)
    assert "elder" in page.locator("html").get_attribute("class")
    page.get_by_role("button", name="无障碍").click()  # the toolbar opens only when asked, page by page
    page.get_by_role("region", name="无障碍工具条").get_by_role("button", name="全部重置").click()
    page.get_by_role("region", name="无障碍工具条").get_by_role("button", name="字号增大").click()
    page.wait_for_function("() => document.documentElement.style.fontSize === '180%'")

    # The 繁體 copy, and a search in its own index with its converted search.js.
    page.locator(".script-switch").click()
    page.wait_for_url(strict_site + traditional.PREFIX + ELDER + DOC)
    assert page.locator("html").get_attribute("lang") == traditional.LANG
    page.goto(strict_site + traditional.PREFIX + "search/?q=政務公開工作")
    assert wait_for_results(page).startswith("找到")

    assert seen["violations"] == []
    assert seen["errors"] == []

    # A missing page: the 404 page, under the same policy (the browser logs the 404 itself).
    assert page.goto(strict_site + "no-such-page/").status == 404
    assert page.locator("h1").is_visible()
    assert seen["violations"] == []
    assert seen["errors"] == ["Failed to load resource: the server responded with a status of 404 (Not Found)"]


def test_a_violation_is_seen(watched, strict_site):
    """The canary: the home page with an inline style, a <style> and an inline script."""
    page, seen = watched
    page.goto(strict_site + CANARY)
    page.wait_for_function("() => document.readyState === 'complete'")
    assert page.title() != "inline script"  # the script did not run
    assert sorted({v["directive"] for v in seen["violations"]}) == ["script-src-elem", "style-src-attr",
                                                                    "style-src-elem"]
    assert any("Content Security Policy" in error for error in seen["errors"])
