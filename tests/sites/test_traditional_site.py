"""The 繁體 mirror: every page again under zh-hant/, converted by OpenCC, linked both ways."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from gongkai import traditional
from gongkai.build import build
from helpers import CONFIG, doc, make_site

ROOT = Path(__file__).resolve().parents[2]
HANT = traditional.Converter(traditional.DEFAULT)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("hant") / "output"
    result = build(ROOT / "config.yml", ROOT / "content", out)
    return out, result.base_url


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.alternates, self.switch, self.lang, self.canonical = [], {}, None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "link" and a.get("rel") == "alternate" and "hreflang" in a:
            self.alternates[a["hreflang"]] = a["href"]
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical = a["href"]
        if "script-switch" in (a.get("class") or ""):
            self.switch = a["href"]
        for key in ("href", "src"):
            if tag in ("a", "link", "script", "img") and a.get(key):
                self.links.append(a[key])


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def pages(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("*.html")
            if "pagefind/" not in p.relative_to(out).as_posix()}


def test_every_page_has_its_twin_in_the_other_script(sample):
    out, _base = sample
    found = pages(out)
    hant = {p.removeprefix(traditional.PREFIX) for p in found if p.startswith(traditional.PREFIX)}
    hans = {p for p in found if not p.startswith(traditional.PREFIX)}
    assert hant == hans and len(hans) > 90  # every page type (the sample hides its empty columns)


def test_hreflang_canonical_and_switch_point_at_the_same_page(sample):
    out, base = sample
    for rel in sorted(pages(out)):
        if rel.endswith("404.html"):
            continue
        page = parse(out / rel)
        mirror = rel.startswith(traditional.PREFIX)
        plain = rel.removeprefix(traditional.PREFIX)
        url = plain.removesuffix("index.html").removeprefix("elder/")
        assert page.lang == (traditional.LANG if mirror else "zh-CN"), rel
        assert page.alternates == {"zh-Hans": base + url, traditional.LANG: base + traditional.PREFIX + url,
                                   "x-default": base + url}, rel
        assert page.canonical == base + (traditional.PREFIX if mirror else "") + url, rel
        other = (plain if mirror else traditional.PREFIX + plain).removesuffix("index.html")
        assert unquote(urljoin("/" + rel, page.switch)) == "/" + other, rel


def test_every_link_of_every_copy_resolves(sample):
    """The converter changes words, never addresses: each link of each page of every copy
    (standard, 长者模式, 繁體, 繁體 长者模式) exists."""
    out, _base = sample
    checked = 0
    for rel in sorted(p for p in pages(out) if not p.endswith("404.html")):
        for link in parse(out / rel).links:
            if link.startswith(("http", "data:", "mailto:", "#")):
                continue
            target = unquote(urlsplit(urljoin("/" + rel, link)).path).lstrip("/")
            assert (out / target).is_file() or (out / target / "index.html").is_file(), (rel, link)
            checked += 1
    assert checked > 4000


def test_words_are_converted_as_phrases_and_the_switch_keeps_its_name(sample):
    out, _base = sample
    hans = (out / "doc/lanshanqufczzf/2021-0000679/index.html").read_text(encoding="utf-8")
    hant = (out / traditional.PREFIX / "doc/lanshanqufczzf/2021-0000679/index.html").read_text(encoding="utf-8")
    title = re.search(r"<h1[^>]*>(.*?)</h1>", hans, re.S).group(1)
    assert re.search(r"<h1[^>]*>(.*?)</h1>", hant, re.S).group(1) == HANT.text(title) != title
    assert ">简体</a>" in hant and ">繁體</a>" in hans
    assert "政務公開" in hant and "政务公开" not in hant
    # The mirror's scripts speak 繁體 too.
    assert "沒有找到" in (out / traditional.PREFIX / "static/search.js").read_text(encoding="utf-8")


def test_the_converter_leaves_markup_addresses_and_ids_alone():
    html = ('<a href="../发布/" id="发布" title="头发">发布机构</a><!-- 注释 -->'
            '<span translate="no">简体<b>简</b></span>后台<meta content="兰山区" data-pagefind-filter="agency[content]">')
    assert HANT.html(html) == ('<a href="../发布/" id="发布" title="頭髮">發佈機構</a><!-- 注释 -->'
                               '<span translate="no">简体<b>简</b></span>後臺<meta content="蘭山區" '
                               'data-pagefind-filter="agency[content]">')


def test_translate_no_holds_for_its_element_only_and_one_call_converts_a_page():
    calls = []
    converter = traditional.Converter(traditional.DEFAULT)
    convert = converter.text
    converter.text = lambda text: calls.append(text) or convert(text)
    html = ('<p><img alt="发" translate="no">发</p><p data-translate="no" title="发">发</p>'
            '<span translate="no" title="发">发<span>发</span>发</span>发')
    assert converter.html(html) == ('<p><img alt="发" translate="no">發</p><p data-translate="no" title="發">發</p>'
                                    '<span translate="no" title="发">发<span>发</span>发</span>發')
    assert len(calls) == 1  # the page's words in one call: OpenCC's cost is per call


def test_off_unless_asked_and_a_wrong_value_is_named(site_root):
    site = make_site(site_root, {"a.md": doc()})
    site.build()
    assert not (site.output / traditional.PREFIX).exists()
    assert "script-switch" not in site.page("index.html") and "hreflang" not in site.page("index.html")
    site.config.write_text(CONFIG + "traditional: s2tw\n", encoding="utf-8")
    site.build()
    assert "測試專欄" in (site.output / traditional.PREFIX / "index.html").read_text(encoding="utf-8")
    site.config.write_text(CONFIG + "traditional: 繁体\n", encoding="utf-8")
    errors = site.build_fails()
    assert any("E005" in e and "traditional" in e and "s2twp" in e for e in errors), errors
