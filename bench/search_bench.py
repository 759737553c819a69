#!/usr/bin/env python3
"""For the benchmark (bench/build_bench.py): the generated corpora, and the bytes a reader's
browser transfers until the first results of a query appear.

Corpora come from ../shared/bench/make_corpus.py (deterministic), written once under bench/.work/.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "browser")]

from chromium import CHROMIUM_ARGS, chromium_path, serve  # noqa: E402
from helpers import corpus_config  # noqa: E402

WORK = ROOT / "bench" / ".work"
MAKE_CORPUS = ROOT.parent / "shared" / "bench" / "make_corpus.py"
QUERY = "政务公开工作要点"


def corpus(docs: int) -> Path:
    root = WORK / f"corpus-{docs}"
    if not (root / "corpus.yml").exists():
        subprocess.run([sys.executable, str(MAKE_CORPUS), "--docs", str(docs), "--out", str(root)], check=True)
        (root / "config.yml").write_text(corpus_config(root / "corpus.yml"), encoding="utf-8")
    return root


def first_results_bytes(site: Path) -> dict:
    """Bytes over the wire from opening the search page with a query until its results show."""
    from playwright.sync_api import sync_playwright
    sizes: dict[str, int] = {}
    with serve(site) as address, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page()
        responses = []
        page.on("response", lambda response: responses.append(response))
        page.goto(address + "search/?q=" + QUERY)
        page.wait_for_function("() => document.querySelectorAll('#search-results > li').length > 0")
        shown = len(responses)  # everything requested before the first results appeared
        for response in responses[:shown]:
            path = response.url.removeprefix(address)
            kind = ("postings" if path.startswith("postings/") else "index chunks" if "/index/" in path else "fragments" if "/fragment/" in path else
                    "filters" if "/filter/" in path else "pagefind runtime" if path.startswith("pagefind/") else "page")
            sizes[kind] = sizes.get(kind, 0) + len(response.body())  # bodies as sent (Pagefind's are gzip already)
        browser.close()
    return sizes
