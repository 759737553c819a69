"""Real headless Chromium from Debian's package, driven by Playwright (no browser download)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from chromium import CHROMIUM_ARGS, chromium_path, serve
from gongkai.build import build
from helpers import corpus_config

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def page(browser):
    """One tab for a test module's searches and clicks."""
    context = browser.new_context()
    p = context.new_page()
    yield p
    context.close()


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory):
    """The sample column, built once and served for the session."""
    out = tmp_path_factory.mktemp("sample") / "output"
    result = build(ROOT / "config.yml", ROOT / "content", out)
    with serve(out, base=urlsplit(result.base_url).path) as address:
        yield address


@pytest.fixture(scope="session")
def bench_corpus(tmp_path_factory):
    """1,000 generated documents (../shared/bench/make_corpus.py) and their config."""
    shared = ROOT.parent / "shared"
    if not shared.is_dir():
        pytest.skip("../shared is not beside this checkout")
    root = tmp_path_factory.mktemp("bench")
    subprocess.run([sys.executable, str(shared / "bench/make_corpus.py"), "--docs", "1000", "--out", str(root)],
                   check=True, capture_output=True, timeout=300)
    (root / "config.yml").write_text(corpus_config(root / "corpus.yml"), encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def bench_site(bench_corpus):
    """The 1,000 documents built (in several search shards) and served for the session."""
    build(bench_corpus / "config.yml", bench_corpus / "content", bench_corpus / "output")
    with serve(bench_corpus / "output") as address:
        yield address
