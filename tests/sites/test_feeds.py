"""Atom feeds read back by feedparser, as a feed reader would."""
from __future__ import annotations

import re
from pathlib import Path

import feedparser
import pytest

from gongkai import feeds, traditional, validity
from gongkai.build import build
from gongkai.config import load_config
from gongkai.content import load_documents
from gongkai.disclosure import publishable
from gongkai.errors import Report

ROOT = Path(__file__).resolve().parents[2]
HANT = traditional.Converter(traditional.DEFAULT)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("feeds") / "output"
    result = build(ROOT / "config.yml", ROOT / "content", out)
    report = Report()
    config = load_config(ROOT / "config.yml", report)
    docs = publishable(load_documents(config, ROOT / "content", report))
    return out, result.base_url, config, docs


def read(path: Path):
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def test_every_feed_holds_the_newest_published_documents_of_its_scope(site):
    out, base, config, docs = site
    scopes = {"feed.xml": docs}
    for category in config.all_categories():
        scope = [d for d in docs if d.category.key.startswith(category.key)
                 and (d.category.key == category.key or d.category.key[len(category.key)] == "/")]
        if scope or not config.hide_empty_columns:  # the sample hides its empty columns: no page, no feed
            scopes["/".join(category.slugs) + "/feed.xml"] = scope
    for agency in config.agencies:
        scopes[f"agency/{agency.slug}/feed.xml"] = [d for d in docs if agency.name in [a.name for a in d.agencies]]
    written = {p.relative_to(out).as_posix() for p in out.rglob("feed.xml")}
    # The sample builds the 繁體 mirror: each feed again, its entries leading into the mirror.
    assert written == set(scopes) | {traditional.PREFIX + path for path in scopes}
    for path, scope in scopes.items():
        parsed = read(out / path)
        want = sorted(scope, key=lambda d: d.sort_key)[: feeds.LATEST]
        assert [e.link for e in parsed.entries] == [base + d.url for d in want], path
        mirror = read(out / traditional.PREFIX / path)
        assert [e.link for e in mirror.entries] == [base + traditional.PREFIX + d.url for d in want], path
        # A document no longer in force says so in its title (「（已废止）」), in both scripts.
        titled = [d.title + (f"（{validity.word(d.validity)}）" if validity.word(d.validity) else "") for d in want]
        assert [e.title for e in parsed.entries] == titled, path
        assert [e.title for e in mirror.entries] == [HANT.text(t) for t in titled], path
        assert mirror.feed.language == traditional.LANG and parsed.feed.language == "zh-CN"
        assert parsed.feed.links[0].href == base + path or any(l.href == base + path for l in parsed.feed.links)
        for entry in parsed.entries:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T00:00:00\+08:00", entry.updated)


def test_on_request_entries_are_catalogue_items(site):
    out, base, _config, docs = site
    on_request = [d for d in docs if d.mode == "依申请公开"]
    assert on_request
    entries = {e.link: e for e in read(out / "feed.xml").entries}
    for doc in on_request:
        assert "依申请公开" in entries[base + doc.url].summary


def test_pages_name_their_feed(site):
    out, _base, _config, _docs = site
    home = (out / "index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/atom+xml" title="订阅本栏目（Atom）" href="feed.xml">' in home
    elder = (out / "elder/index.html").read_text(encoding="utf-8")
    assert 'href="../feed.xml"' in elder  # the 长者模式 twin points at the same feed
    mirror = (out / traditional.PREFIX / "elder/index.html").read_text(encoding="utf-8")
    assert 'type="application/atom+xml" title="訂閱本欄目（Atom）" href="../feed.xml"' in mirror  # zh-hant/feed.xml
