#!/usr/bin/env python3
"""For the benchmark (bench/build_bench.py): the generated corpora, and the bytes a reader's
browser transfers until the first results of a query appear.

Corpora come from ../shared/bench/make_corpus.py (deterministic), written once under bench/.work/.
"""
from __future__ import annotations

import gzip
import math
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "browser")]

from chromium import CHROMIUM_ARGS, chromium_path, serve  # noqa: E402
from gongkai import deploy  # noqa: E402
from helpers import corpus_config  # noqa: E402

WORK = ROOT / "bench" / ".work"
MAKE_CORPUS = ROOT.parent / "shared" / "bench" / "make_corpus.py"
QUERY = "政务公开工作要点"
# What readers type on a generated column (../shared/bench/make_corpus.py titles and 文号): a
# common phrase, titles, a title fragment, 文号 in three spellings, 繁體, a typo, two no-answers.
QUERIES = ("政务公开工作要点", "依申请公开办理", "财政局2022年政务新媒体", "司法局2023年政府信息公开工作年度报告",
           "兰山区自然资源局2020年部门决算公开说明", "兰财字〔2019〕8号", "兰财字[2019]008号", "兰财字2019年第8号",
           "政務公開工作要點", "兰山区卫生健康局2022年政府信息公开工作年度报吿", "航天发射场建设", "冀政字〔2099〕1号")
_DONE = "() => /^(找到|没有找到|没有完全匹配|搜索暂时无法使用)/.test(document.getElementById('search-status').textContent)"


def corpus(docs: int) -> Path:
    root = WORK / f"corpus-{docs}"
    if not (root / "corpus.yml").exists():
        subprocess.run([sys.executable, str(MAKE_CORPUS), "--docs", str(docs), "--out", str(root)], check=True)
        (root / "config.yml").write_text(corpus_config(root / "corpus.yml"), encoding="utf-8")
    return root


def first_results_bytes(site: Path, query: str = QUERY) -> dict:
    """Bytes over the wire from opening the search page with a query until its results (or its
    answer that there are none) show, with a cold cache: {kind: bytes}, and "ms": the time."""
    from playwright.sync_api import sync_playwright
    sizes: dict[str, int] = {}
    with serve(site) as address, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        context = browser.new_context()  # a browser of its own: nothing cached from an earlier query
        page = context.new_page()
        responses = []
        page.on("response", lambda response: responses.append(response))
        start = time.perf_counter()
        page.goto(address + "search/?q=" + quote(query))
        page.wait_for_function(_DONE)
        elapsed = (time.perf_counter() - start) * 1000
        shown = len(responses)  # everything requested before the first results appeared
        for response in responses[:shown]:
            path = response.url.removeprefix(address).split("?")[0]
            kind = ("cards" if path.startswith("postings/d/") else "postings" if path.startswith("postings/") else
                    "pagefind" if path.startswith("pagefind/") else "page")
            sizes[kind] = sizes.get(kind, 0) + wire_size(response)
        browser.close()
    return {**sizes, "ms": elapsed}


def wire_size(response) -> int:
    """The body's size as the nginx configuration Gongkai writes sends it (generator/deploy.py:
    gzip at nginx's default level 1 for text types); Pagefind's files are compressed already."""
    body = response.body()
    kind = (response.headers.get("content-type") or "").split(";")[0].strip()
    return len(gzip.compress(body, 1)) if kind in deploy.TEXT_TYPES else len(body)


def search_costs(site: Path) -> list[dict]:
    """first_results_bytes() of every query of QUERIES: [{query, bytes, ms, parts}]."""
    rows = []
    for query in QUERIES:
        seen = first_results_bytes(site, query)
        ms = seen.pop("ms")
        rows.append({"query": query, "bytes": sum(seen.values()), "ms": ms, "parts": seen})
    return rows


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (p90 of 12 values is the 11th smallest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]
