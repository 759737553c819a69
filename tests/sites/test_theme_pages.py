"""What the default theme writes into pages for readers, checked in the HTML: validity in words,
the 落款, the metadata summary, the current section, attachments that open in the browser."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from gongkai.build import build
from helpers import doc, make_site

ROOT = Path(__file__).resolve().parents[2]
REPEALED = "doc/lanshanqufczzf/2018-0000212/index.html"  # 方城镇政务公开工作考核办法（试行）, 废止
PLAN = "doc/lanshanqufczzf/2021-0000679/index.html"  # 方城镇2021年政务公开实施方案, under 政府信息公开制度


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("theme") / "output"
    build(ROOT / "config.yml", ROOT / "content", out)
    return out


def read(out: Path, rel: str) -> str:
    return (out / rel).read_text(encoding="utf-8")


def test_the_signature_of_a_document_is_marked_for_right_alignment(sample):
    page = read(sample, PLAN)
    assert '<p class="signature">方城镇人民政府</p>\n<p class="signature">2021年7月23日</p>' in page
    assert page.count('class="signature"') == 2


def test_a_page_describes_itself_with_its_summary(sample):
    page = read(sample, PLAN)
    summary = re.search(r'<dt class="row">摘要</dt><dd class="span">([^<]+)</dd>', page)[1]
    assert f'<meta name="description" content="{summary}">' in page


def test_the_main_nav_marks_the_section_of_a_page_below_the_first_level(sample):
    nav = re.search(r'<nav class="site-nav".*?</nav>', read(sample, PLAN), re.S)[0]
    current = re.findall(r'<a href="[^"]*" aria-current="(page|true)">([^<]+)</a>', nav)
    assert current == [("true", "政府信息公开制度")]
    nav = re.search(r'<nav class="site-nav".*?</nav>', read(sample, "zd/bzjz/index.html"), re.S)[0]
    assert re.findall(r'aria-current="(page|true)">([^<]+)</a>', nav) == [("true", "政府信息公开制度")]


def test_the_byline_sums_up_agency_date_and_validity(sample):
    byline = re.search(r'<p class="doc-byline">(.*?)</p>', read(sample, REPEALED))[1]
    text = re.sub(r"<[^>]+>", "", byline)
    assert "兰山区方城镇" in text and "2018-05-10" in text and "方政发〔2018〕6号" in text and text.endswith("已废止")


def test_feed_titles_say_a_document_is_no_longer_in_force(sample):
    feed = read(sample, "fdzdgknr/fgwj/xzgfxwj/feed.xml")
    assert "<title>方城镇政务公开工作考核办法（试行）（已废止）</title>" in feed
    assert "<title>方城镇政务公开工作考核办法</title>" in feed  # the one in force: no word added


def test_pdf_attachments_open_in_the_browser_and_others_download(site_root):
    site = make_site(site_root, {"a.md": doc(附件="[通知.pdf, 名单.xlsx]")})
    site.write("通知.pdf", "%PDF-1.4\n")
    site.write("名单.xlsx", "x")
    site.build()
    links = {unquote(name): attrs for name, attrs in
             re.findall(r'<a href="[^"]*files/([^"]*)"([^>]*)>', site.page("doc/csj/2024-0000001/index.html"))}
    assert links == {"通知.pdf": "", "名单.xlsx": " download"}
