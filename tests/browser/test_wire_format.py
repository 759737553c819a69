"""postings/ is defined once, in generator/postings.py: search.js reads the format from
index.json. Built with other digits and another table size, search must find the same documents."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from chromium import serve
from gongkai import postings
from gongkai.build import build
from search_page import index_no, search

ROOT = Path(__file__).resolve().parents[2]


def test_index_json_publishes_the_format(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(ROOT / "content", site / "content")
    shutil.copy(ROOT / "config.yml", site / "config.yml")
    build(site / "config.yml", site / "content", site / "output")
    index = json.loads((site / "output" / postings.INDEX).read_text(encoding="utf-8"))
    assert index["format"] == postings.format_() == {"digits": postings.ALPHABET, "chunk": postings.CHUNK,
                                                     "complement": postings.COMPLEMENT, "page": postings.HASH_PAGE}


@pytest.fixture(scope="module")
def reshaped(tmp_path_factory):
    """The sample built with the digits reversed, three rows a table file and five hashes a page."""
    site = tmp_path_factory.mktemp("format") / "site"
    shutil.copytree(ROOT / "content", site / "content")
    shutil.copy(ROOT / "config.yml", site / "config.yml")  # a cache of its own: nothing of other builds reused
    patch = pytest.MonkeyPatch()
    patch.setattr(postings, "ALPHABET", postings.ALPHABET[::-1])
    patch.setattr(postings, "CHUNK", 3)
    patch.setattr(postings, "HASH_PAGE", 5)  # the sample's 16 buckets on four pages
    try:
        result = build(site / "config.yml", site / "content", site / "output")
    finally:
        patch.undo()
    with serve(site / "output", base=urlsplit(result.base_url).path) as address:
        yield address


def test_search_reads_the_format_it_is_given(page, reshaped, sample_site):
    for q in ("政务公开", "方政发〔2021〕9号", "确权登记"):
        mine = [index_no(r) for r in search(page, reshaped, every=True, q=q)]
        usual = [index_no(r) for r in search(page, sample_site, every=True, q=q)]
        assert mine and mine == usual, q
    # Sorted by date, which reads the tables of every section.
    assert [index_no(r) for r in search(page, reshaped, every=True, q="政务公开", sort="date")] == \
        [index_no(r) for r in search(page, sample_site, every=True, q="政务公开", sort="date")]
