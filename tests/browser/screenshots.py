#!/usr/bin/env python3
"""make screenshots: every page type of tests/browser/pages.py in the standard, 长者模式 and 繁體 copies at
375 and 1,280 px wide, as full-page PNGs in screenshots/ (git-ignored) named <page>-<copy>-<width>.png,
and a contact sheet, screenshots/index.html, to look at them all at once (a row per page type, a column
per copy and width). Needs a Chinese font (Debian's fonts-wqy-microhei) or every glyph is a box."""
from __future__ import annotations

import html
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from chromium import CHROMIUM_ARGS, chromium_path, serve  # noqa: E402
from gongkai.build import build  # noqa: E402
from pages import COPY_LABELS, LABELS, OPTIONAL, PAGES, address, is_search  # noqa: E402
from search_page import wait_for_results  # noqa: E402

SHOT_COPIES = ("standard", "elder", "hant")
VIEWPORTS = {375: 667, 1280: 900}  # width: height
WIDTH_LABELS = {375: "手机 375 px", 1280: "桌面 1,280 px"}


def slug(name: str) -> str:
    return name.replace(" ", "-")


def file_name(name: str, copy: str, width: int) -> str:
    return f"{slug(name)}-{copy}-{width}.png"


def take(page, site: str, out: Path) -> dict:
    """Every page type in one copy at the page's current width: {(name, copy): shot} for the sheet."""
    width = page.viewport_size["width"]
    shots = {}
    for copy in SHOT_COPIES:
        for name, path in PAGES.items():
            response = page.goto(address(site, copy, path))
            if response.status == 404 and name in OPTIONAL:
                shots[name, copy] = {"skipped": True}
                continue
            if is_search(path):
                wait_for_results(page)
            page.evaluate("document.fonts.ready")
            target = out / file_name(name, copy, width)
            page.screenshot(path=str(target), full_page=True)
            shots[name, copy] = {"file": target.name, "status": response.status,
                                 "height": page.evaluate("document.documentElement.scrollHeight"),
                                 "scroll_width": page.evaluate("document.documentElement.scrollWidth")}
            print(target.relative_to(ROOT), flush=True)
    return shots


def contact_sheet(shots: dict, seconds: float) -> str:
    columns = [(copy, width) for copy in SHOT_COPIES for width in VIEWPORTS]
    head = "".join(f"<th scope=\"col\">{COPY_LABELS[copy]}<br>{WIDTH_LABELS[width]}</th>" for copy, width in columns)
    rows = []
    for name, path in PAGES.items():
        cells = []
        for copy, width in columns:
            shot = shots[width].get((name, copy), {"skipped": True})
            if shot.get("skipped"):
                cells.append("<td class=\"skipped\">未生成（可选页面）</td>")
                continue
            notes = [f"{width}×{shot['height']}"]
            if shot["scroll_width"] > width:
                notes.append(f"<strong>横向滚动：宽 {shot['scroll_width']} px</strong>")
            if shot["status"] >= 400 and name != "404":
                notes.append(f"<strong>HTTP {shot['status']}</strong>")
            file = html.escape(shot["file"])
            cells.append(f"<td><a href=\"{file}\"><img src=\"{file}\" width=\"180\" loading=\"lazy\" "
                         f"alt=\"{html.escape(LABELS.get(name, name))}，{COPY_LABELS[copy]}，{width} px\"></a>"
                         f"<br><small>{' · '.join(notes)}</small></td>")
        rows.append(f"<tr><th scope=\"row\">{html.escape(LABELS.get(name, name))}<br><small>{html.escape(name)}<br>"
                    f"<code>/{html.escape(path)}</code></small></th>{''.join(cells)}</tr>")
    count = sum(1 for by_width in shots.values() for shot in by_width.values() if not shot.get("skipped"))
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>截图总览 · Gongkai 示例专栏</title>
<style>
body {{ font-family: sans-serif; margin: 1rem; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 1px solid #ccc; padding: 6px; vertical-align: top; text-align: left; }}
thead th {{ position: sticky; top: 0; background: #f4f4f4; z-index: 1; }}
tbody th {{ width: 11em; background: #fafafa; }}
img {{ display: block; width: 180px; max-height: 360px; object-fit: cover; object-position: top; border: 1px solid #999; }}
body:has(#whole:checked) img {{ max-height: none; }}
td.skipped {{ color: #666; }}
strong {{ color: #a00; }}
</style>
</head>
<body>
<h1>截图总览</h1>
<p>每种页面 × 标准版、长者模式、繁體 × 手机 375 px、桌面 1,280 px，共 {count} 张整页截图（用时 {seconds:.0f} 秒）。
缩略图只显示页面顶部；点击看整页。数字是页面宽 × 高（CSS px）。</p>
<p><label><input type="checkbox" id="whole"> 缩略图显示整页</label></p>
<table>
<thead><tr><th scope="col">页面</th>{head}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
</body>
</html>
"""


def main() -> None:
    from playwright.sync_api import sync_playwright
    started = time.monotonic()
    out = ROOT / "screenshots"
    out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "output"
        result = build(ROOT / "config.yml", ROOT / "content", site)
        shots = {}
        with serve(site, base=urlsplit(result.base_url).path) as address_, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            for width, height in VIEWPORTS.items():
                context = browser.new_context(viewport={"width": width, "height": height})
                shots[width] = take(context.new_page(), address_, out)
                context.close()
            browser.close()
    seconds = time.monotonic() - started
    (out / "index.html").write_text(contact_sheet(shots, seconds), encoding="utf-8")
    count = sum(1 for by_width in shots.values() for shot in by_width.values() if not shot.get("skipped"))
    print(f"{count} screenshots and the contact sheet {(out / 'index.html').relative_to(ROOT)} in {seconds:.1f} s")


if __name__ == "__main__":
    main()
