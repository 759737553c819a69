"""`gongkai serve` in Chromium: edit → the open page shows the change by itself; an error shows
in the page while the last good site stays; fixing it brings the page back."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.request

import pytest

from helpers import doc, make_site


@pytest.fixture
def served(site_root):
    site = make_site(site_root, {"a.md": doc(title="初始标题")})
    process = subprocess.Popen([sys.executable, "-m", "gongkai", "serve", "--config", str(site.config),
                                "--content", str(site.content), "--output", str(site.output), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for line in process.stdout:
            if line.startswith("预览地址："):
                address = re.search(r"http://127\.0\.0\.1:\d+/", line)[0]
                break
        yield site, address
    finally:
        process.terminate()
        process.wait(timeout=10)


def heading_is(page, text: str) -> None:
    page.wait_for_function(f"() => document.querySelector('h1') && document.querySelector('h1').textContent === {text!r}",
                           timeout=20000)


def test_edit_error_and_fix_reach_the_open_page(browser, served):
    site, address = served
    page = browser.new_page()
    page.goto(address + "doc/csj/2024-0000001/")
    assert page.locator("h1").inner_text() == "初始标题"

    site.write("a.md", doc(title="修改后的标题"))
    heading_is(page, "修改后的标题")

    site.write("a.md", doc(title="写错的文件", mode="公开"))
    alert = page.locator("#gongkai-build-error")
    alert.wait_for(timeout=20000)
    assert alert.get_attribute("role") == "alert"
    assert "错误[E111]: 公开方式「公开」不正确" in alert.inner_text()
    assert page.locator("h1").inner_text() == "修改后的标题"  # the last good site is still there
    response = page.request.get(address + "doc/csj/2024-0000001/")
    assert "修改后的标题" in response.text()

    site.write("a.md", doc(title="修好了"))
    heading_is(page, "修好了")
    assert page.locator("#gongkai-build-error").count() == 0
    page.close()


def generation(address: str) -> int:
    with urllib.request.urlopen(address + "__gongkai/state") as response:
        return json.load(response)["generation"]


def test_one_edit_is_one_rebuild_and_then_the_preview_stays_idle(served):
    """The build reads the edited file, and watchdog reports those reads (opened, closed_no_write,
    an access-time change): they are not edits. Before, one edit meant a rebuild four times a
    second, forever."""
    site, address = served
    assert generation(address) == 1
    site.write("a.md", doc(title="改了一次"))
    deadline = time.monotonic() + 20
    while generation(address) == 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert generation(address) == 2
    time.sleep(3)  # ten times the debounce, and many rebuilds' worth at the old rate
    assert generation(address) == 2
    site.write("b.md", doc(title="又一篇", index_no="csj/2024-0000002"))  # and a new file still counts
    deadline = time.monotonic() + 20
    while generation(address) == 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(2)
    assert generation(address) == 3


def test_pagefind_files_are_served_with_their_types(browser, served):
    site, address = served
    page = browser.new_page()
    js = next(site.output.glob("pagefind/*/pagefind.js")).relative_to(site.output).as_posix()
    response = page.request.get(address + js)
    assert response.ok and response.headers["content-type"].startswith("text/javascript")
    meta = next(site.output.glob("pagefind/*/pagefind.*.pf_meta")).relative_to(site.output).as_posix()
    assert page.request.get(address + meta).headers["content-type"] == "application/octet-stream"
    page.close()
