"""`make serve` as an editor meets it (make bench): one edit of one document, measured in Chromium
from the moment the file is written until the open page shows the new title; then how many
rebuilds follow while nothing changes. Not a test: it prints numbers.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests"), str(HERE.parent / "tests" / "browser")]

from chromium import CHROMIUM_ARGS, chromium_path  # noqa: E402

IDLE_S = 10  # how long the preview is watched after the edit, for rebuilds nobody asked for


def generation(address: str) -> int:
    with urllib.request.urlopen(address + "__gongkai/state") as response:
        return json.load(response)["generation"]


def edit_to_reload(root: Path, env: dict, edits: int = 3) -> dict:
    """Median seconds from writing an edited document to its page showing it, and the
    rebuilds counted during IDLE_S seconds of quiet after the last edit."""
    from playwright.sync_api import sync_playwright

    files = sorted((root / "content").rglob("*.md"))
    edited = next(f for f in files[len(files) // 3:] if "\nmode: 主动公开" in f.read_text(encoding="utf-8"))
    original = edited.read_bytes()
    index_no = re.search(r"\nindex_no: *['\"]?([^'\"\n]+)", original.decode("utf-8"))
    index_no = index_no[1].strip() if index_no else None
    process = subprocess.Popen([sys.executable, "-m", "gongkai", "serve", "--config", str(root / "config.yml"),
                                "--content", str(root / "content"), "--output", str(root / "output"), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    times = []
    try:
        for line in process.stdout:
            if line.startswith("预览地址："):
                address = re.search(r"http://127\.0\.0\.1:\d+/", line)[0]
                break
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(address + document_url(root, index_no))
            for n in range(edits):
                title = f"修订{n}号"
                text = original.decode("utf-8").replace("\ntitle: ", f"\ntitle: {title}", 1)
                started = time.perf_counter()
                edited.write_bytes(text.encode("utf-8"))
                page.wait_for_function(f"() => document.querySelector('h1') && "
                                       f"document.querySelector('h1').textContent.startsWith({title!r})",
                                       timeout=120000)
                times.append(time.perf_counter() - started)
                time.sleep(1)
            settled = generation(address)
            time.sleep(IDLE_S)
            idle_builds = generation(address) - settled
            browser.close()
    finally:
        edited.write_bytes(original)
        process.terminate()
        process.wait(timeout=30)
    return {"reload": sorted(times)[len(times) // 2], "idle_builds": idle_builds}


def document_url(root: Path, index_no: str | None) -> str:
    from gongkai.model import permalink
    return "doc/" + permalink(index_no) + "/" if index_no else ""
