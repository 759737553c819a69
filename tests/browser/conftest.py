"""Real headless Chromium from Debian's package, driven by Playwright (no browser download)."""
from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from generator.build import build
from helpers import corpus_config

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("浏览器测试需要 Debian 的 chromium：apt-get install chromium fonts-wqy-microhei（make test 会自动安装）")
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(directory: Path):
    """Serve a built site on 127.0.0.1 (a free port) while the block runs; yields its address."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory):
    """The sample column, built once and served for the session."""
    out = tmp_path_factory.mktemp("sample") / "output"
    build(ROOT / "config.yml", ROOT / "content", out)
    with serve(out) as address:
        yield address


@pytest.fixture(scope="session")
def bench_site(tmp_path_factory):
    """1,000 generated documents (../shared/bench/make_corpus.py), built and served for the session."""
    shared = ROOT.parent / "shared"
    if not shared.is_dir():
        pytest.skip("../shared is not beside this checkout")
    root = tmp_path_factory.mktemp("bench")
    subprocess.run([sys.executable, str(shared / "bench/make_corpus.py"), "--docs", "1000", "--out", str(root)],
                   check=True, capture_output=True, timeout=300)
    (root / "config.yml").write_text(corpus_config(root / "corpus.yml"), encoding="utf-8")
    build(root / "config.yml", root / "content", root / "output")
    with serve(root / "output") as address:
        yield address
