#!/usr/bin/env python3
"""make screenshots: the home and a document page, standard and 长者模式, at 1280 and 375 px wide,
as PNG files in screenshots/ (git-ignored), for a reviewer to look at. Needs a Chinese font
(Debian's fonts-wqy-microhei) or every glyph is a box."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from chromium import CHROMIUM_ARGS, chromium_path, serve  # noqa: E402
from generator.build import build  # noqa: E402

PAGES = {"home": "", "document": "doc/lanshanqufczzf/2021-0000679/"}
MODES = {"standard": "", "elder": "elder/"}
WIDTHS = (1280, 375)


def main() -> None:
    from playwright.sync_api import sync_playwright
    out = ROOT / "screenshots"
    out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "output"
        result = build(ROOT / "config.yml", ROOT / "content", site)
        with serve(site, base=urlsplit(result.base_url).path) as address, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            for width in WIDTHS:
                page = browser.new_page(viewport={"width": width, "height": 900})
                for name, path in PAGES.items():
                    for mode, prefix in MODES.items():
                        page.goto(address + prefix + path)
                        target = out / f"{name}-{mode}-{width}.png"
                        page.screenshot(path=str(target), full_page=True)
                        print(target.relative_to(ROOT))
                page.close()
            browser.close()


if __name__ == "__main__":
    main()
