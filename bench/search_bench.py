#!/usr/bin/env python3
"""Search benchmark (make bench): index time, size and memory at 1k and 10k documents, and the
bytes a reader's browser transfers until the first results of a query appear on the largest site.

Corpora come from ../shared/bench/make_corpus.py (deterministic). Not a test: it prints numbers.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
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


def build(root: Path) -> dict:
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "generator", "build", "-v", "--config", str(root / "config.yml"),
                          "--content", str(root / "content"), "--output", str(root / "output")],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    out = run.stdout
    number = lambda pattern: float(re.search(pattern, out).group(1))  # noqa: E731
    return {"wall": wall, "index_s": number(r"建立索引 ([\d.]+) 秒"), "pages": number(r"搜索索引：(\d+) 篇"),
            "files": number(r"(\d+) 个文件，[\d.]+ MiB"), "mib": number(r"([\d.]+) MiB，"),
            "peak": number(r"峰值内存 (\d+) MiB")}


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
            kind = ("index chunks" if "/index/" in path else "fragments" if "/fragment/" in path else
                    "filters" if "/filter/" in path else "pagefind runtime" if path.startswith("pagefind/") else "page")
            sizes[kind] = sizes.get(kind, 0) + len(response.body())  # bodies as sent (Pagefind's are gzip already)
        browser.close()
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    rows = []
    for docs in args.sizes:
        root = corpus(docs)
        rows.append((docs, build(root)))
    print("\n搜索索引基准（Pagefind 1.5.2 extended，2 核机器）")
    print("| 文档数 | 整体构建 s | 建立索引 s | 索引文件数 | 索引大小 MiB | Pagefind 峰值内存 MiB |")
    print("|---:|---:|---:|---:|---:|---:|")
    for docs, r in rows:
        print(f"| {docs} | {r['wall']:.1f} | {r['index_s']:.1f} | {r['files']:.0f} | {r['mib']:.1f} | {r['peak']:.0f} |")
    largest = max(args.sizes)
    sizes = first_results_bytes(corpus(largest) / "output")
    total = sum(sizes.values())
    parts = "，".join(f"{k} {v / 1024:.0f} KiB" for k, v in sorted(sizes.items()))
    print(f"\n{largest} 篇站点上搜索「{QUERY}」到首批结果出现共传输 {total / 1024:.0f} KiB（{parts}）")


if __name__ == "__main__":
    main()
