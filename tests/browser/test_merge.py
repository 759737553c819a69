"""A portal built with Pagefind merges this column's standard Pagefind bundle through Pagefind's
own JS API (mergeIndex), from another origin, and finds the column's documents, as README's
「门户合并本专栏」 shows. Nothing of Gongkai's search.js is on the portal's page."""
from __future__ import annotations

import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pagefind_bin_extended
import pytest

from chromium import serve
from gongkai.build import build

ROOT = Path(__file__).resolve().parents[2]
TITLE = "方城镇政务公开工作考核办法（试行）"  # a document of the sample column
PORTAL = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>门户</title></head>
<body><main><h1>门户网站</h1><p>本市门户网站的政务公开考核栏目说明。</p></main></body></html>
"""
# README's snippet, with the column's address as a parameter.
MERGE = """async (column) => {
  const pagefind = await import("/pagefind/pagefind.js");
  const { shards } = await (await fetch(column + "postings/index.json")).json();
  for (const shard of shards) await pagefind.mergeIndex(`${column}pagefind/${shard}/`, { baseUrl: column });
  const found = await pagefind.search("政务公开考核办法");
  const own = await pagefind.search("门户网站");  // the portal's own page, still found
  return { shards, results: await Promise.all(found.results.slice(0, 10).map((r) => r.data())),
           own: await Promise.all(own.results.slice(0, 10).map((r) => r.data())) };
}"""


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("merge")
    column = tmp / "column"
    config = tmp / "config.yml"  # the sample with small shards: a portal merges each
    config.write_text((ROOT / "config.yml").read_text(encoding="utf-8") + "search_shard_size: 3\n", encoding="utf-8")
    result = build(config, ROOT / "content", column)
    portal = tmp / "portal"
    portal.mkdir()
    (portal / "index.html").write_text(PORTAL, encoding="utf-8")
    # The portal's own bundle, by Pagefind's command line as a portal built with Pagefind has it.
    subprocess.run([str(pagefind_bin_extended.get_executable()), "--site", str(portal)],
                   check=True, capture_output=True, timeout=120)
    with serve(column, base=urlsplit(result.base_url).path, shared=True) as column_address, \
            serve(portal) as portal_address:
        yield column_address, portal_address


def test_a_pagefind_portal_on_another_origin_merges_the_column(page, sites):
    column, portal = sites
    assert urlsplit(column).netloc != urlsplit(portal).netloc  # two origins: CORS applies
    page.goto(portal)
    found = page.evaluate(MERGE, column)
    assert len(found["shards"]) >= 2  # the sample's bundle comes in shards, each merged
    titles = {r["meta"].get("title"): r["url"] for r in found["results"]}
    assert TITLE in titles, titles
    # The result leads to the column's page, which is there.
    assert titles[TITLE].startswith(column + "doc/")
    assert page.request.get(titles[TITLE]).status == 200
    # The portal's own page is found alongside.
    assert [r["url"] for r in found["own"] if r["meta"].get("title") == "门户网站"] == ["/"]


def test_without_the_cors_header_the_portal_cannot_merge(page, tmp_path_factory, sites):
    """The header is what makes the merge work: served without it, the same merge fails."""
    column, portal = sites
    out = tmp_path_factory.mktemp("plain") / "column"
    result = build(ROOT / "config.yml", ROOT / "content", out)
    with serve(out, base=urlsplit(result.base_url).path) as plain:
        page.goto(portal)
        with pytest.raises(Exception):
            page.evaluate(MERGE, plain)
