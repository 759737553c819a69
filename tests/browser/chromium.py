"""Debian's Chromium for Playwright, and a local server for built sites (tests and benchmarks)."""
from __future__ import annotations

import contextlib
import functools
import http.server
import io
import shutil
import threading
from pathlib import Path
from urllib.parse import unquote

from gongkai.deploy import CORS_ORIGIN, not_found_pages
from gongkai.postings import FOLDER as POSTINGS
from gongkai.search import BUNDLE

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("浏览器测试需要 Debian 的 chromium：apt-get install chromium fonts-wqy-microhei（make test 会自动安装）")
    return path


class _Host(http.server.SimpleHTTPRequestHandler):
    """Like a static host: the site under its base path, for anything missing the 404 page of
    its copy of the site (elder/, zh-hant/, zh-hant/elder/ or the root's), as nginx sends it."""

    base = "/"
    shared = False  # send the search files with the CORS header the nginx configuration sends

    def log_message(self, *args):
        pass

    def end_headers(self):
        rel = self.path.split("?", 1)[0].lstrip("/")
        if self.shared and rel.split("/")[0 if not rel.startswith("zh-hant/") else 1] in (BUNDLE, POSTINGS):
            self.send_header("Access-Control-Allow-Origin", CORS_ORIGIN)
        super().end_headers()

    def send_head(self):
        path = self.path.split("?", 1)[0]
        if not path.startswith(self.base):
            return self._not_found("")
        rel = unquote(path[len(self.base):])  # the site path: which copy of the site it is in
        self.path = "/" + self.path[len(self.base):]
        target = Path(self.translate_path(self.path))
        if not (target.is_file() or (target / "index.html").is_file()):
            return self._not_found(rel)
        return super().send_head()

    def _not_found(self, rel: str):
        root = Path(self.directory)
        page = next((root / p for p in not_found_pages(rel) if (root / p).is_file()), None)
        body = page.read_bytes() if page else b"not found"
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextlib.contextmanager
def serve(directory: Path, base: str = "/", shared: bool = False):
    """Serve a built site on 127.0.0.1 (a free port) under `base` while the block runs; yields its
    address. `shared`: the search files may be read from other origins, as generator/deploy.py's
    nginx configuration allows."""
    handler = type("Host", (_Host,), {"base": base, "shared": shared})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{base}"
    finally:
        server.shutdown()
        server.server_close()
