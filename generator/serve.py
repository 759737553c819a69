"""`gongkai serve`: build, serve on 127.0.0.1, rebuild on change, reload the open page.

It answers only requests addressed to this machine by name (Host 127.0.0.1, localhost or [::1]):
a web page elsewhere can point its own name at 127.0.0.1 (DNS rebinding), and would otherwise
read the preview and its build messages.

The server reads output/ at request time, and a build swaps output/ in one step, so a half-built
site is never served; after a failed build the last good site stays, and the page shows the
same coded messages as the terminal.
"""
from __future__ import annotations

import functools
import http.server
import json
import os
import sys
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from watchdog.events import (EVENT_TYPE_CLOSED, EVENT_TYPE_CREATED, EVENT_TYPE_DELETED, EVENT_TYPE_MODIFIED,
                             EVENT_TYPE_MOVED, FileSystemEventHandler)
from watchdog.observers import Observer

from . import output, search
from .build import THEMES, build
from .deploy import not_found_pages
from .errors import BuildFailed

RELOAD_PATH = "/__gongkai/"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")  # the Host names served, with or without the port
DEBOUNCE = 0.3  # seconds of quiet after the last change before rebuilding: editors save in bursts

POLL_MS = 200  # how often the open page asks whether a new build is there: a request to this machine
# Polls the build state; reloads on a new build, shows the messages of a failed one.
RELOAD_JS = """(function () {
  var seen = null;
  function poll() {
    fetch("/__gongkai/state", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (seen !== null && s.generation !== seen && !s.error) { location.reload(); return; }
      seen = s.generation;
      var box = document.getElementById("gongkai-build-error");
      if (s.error) {
        if (!box) {
          box = document.createElement("div");
          box.id = "gongkai-build-error";
          box.setAttribute("role", "alert");
          box.style.cssText = "position:fixed;left:0;right:0;top:0;z-index:1000;background:#fff;color:#000;" +
            "border:4px solid #d4351c;padding:1rem;max-height:60vh;overflow:auto;white-space:pre-wrap;font:16px/1.6 monospace";
          document.body.appendChild(box);
        }
        box.textContent = "构建失败，仍显示上一次成功构建的网站：\\n\\n" + s.error;
      } else if (box) {
        location.reload();
      }
    }).catch(function () {}).then(function () { setTimeout(poll, POLL_MS); });
  }
  poll();
}());
""".replace("POLL_MS", str(POLL_MS))


class State:
    """The last build: a generation number that changes on every success, and the last failure."""

    def __init__(self):
        self.generation = 0
        self.error: str | None = None
        self.lock = threading.Lock()


def rebuild(args, state: State) -> None:
    announced = []

    def published() -> None:  # the new site is in output/: the open page may reload while the state is saved
        state.error = None
        state.generation += 1
        announced.append(True)

    with state.lock:
        try:
            result = build(args.config, args.content, args.output, published=published)
        except BuildFailed as failed:
            state.error = failed.report.format()
            print(state.error, file=sys.stderr, flush=True)
            print(f"构建失败：共 {len(failed.report.errors)} 个错误，继续显示上一次成功构建的网站。", file=sys.stderr, flush=True)
            return
        if not announced:  # nothing changed: the site was already there
            published()
        print(result.summary(), flush=True)


class _Handler(http.server.SimpleHTTPRequestHandler):
    state: State
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".pf_meta": "application/octet-stream",
                      ".pf_index": "application/octet-stream", ".pf_fragment": "application/octet-stream",
                      ".pf_filter": "application/octet-stream", ".pagefind": "application/wasm",
                      ".json": "application/json"}

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        if self._addressed_here():
            super().do_HEAD()

    def do_GET(self):
        if not self._addressed_here():
            return
        if self.path.startswith(RELOAD_PATH):
            return self._own()
        path = Path(self.translate_path(self.path))
        page = path / "index.html" if path.is_dir() else path
        if page.suffix == ".html" and page.is_file():
            return self._send(200, "text/html; charset=utf-8", self._reloading(page))
        return super().do_GET()

    def send_error(self, code, message=None, explain=None):
        """A miss gets its copy's own 404 page (长者模式, 繁體), as nginx sends it (deploy.not_found_pages)."""
        if code != 404:
            return super().send_error(code, message, explain)
        root = Path(self.directory)
        rel = unquote(urlsplit(self.path).path).lstrip("/")
        page = next((root / p for p in not_found_pages(rel) if (root / p).is_file()), None)
        if page is None:
            return super().send_error(code, message, explain)
        self._send(404, "text/html; charset=utf-8", self._reloading(page))

    def list_directory(self, path):
        """A folder without index.html is a miss, as with nginx (no listing of the published folder)."""
        self.send_error(404)
        return None

    def _reloading(self, page: Path) -> bytes:
        """The page with the script that reloads it after a rebuild."""
        script = f'<script src="{RELOAD_PATH}reload.js"></script>'.encode()
        return page.read_bytes().replace(b"</body>", script + b"</body>", 1)

    def _addressed_here(self) -> bool:
        """Whether the Host header names this machine; if not, the request is refused (403)."""
        if is_local_host(self.headers.get("Host"), self.server.server_address[1]):
            return True
        port = self.server.server_address[1]
        body = f"只接受本机地址的访问：请用 http://127.0.0.1:{port}/ 打开预览。\n".encode()
        self.send_response(403)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return False

    def _own(self):
        if self.path.startswith(RELOAD_PATH + "state"):
            body = json.dumps({"generation": self.state.generation, "error": self.state.error}, ensure_ascii=False)
            return self._send(200, "application/json; charset=utf-8", body.encode())
        return self._send(200, "text/javascript; charset=utf-8", RELOAD_JS.encode())

    def _send(self, status: int, kind: str, body: bytes):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def is_local_host(host: str | None, port: int) -> bool:
    """Whether a Host header names this machine: one of LOCAL_HOSTS, alone or with this port."""
    name = (host or "").strip().lower()
    return name in LOCAL_HOSTS or name in {f"{local}:{port}" for local in LOCAL_HOSTS}


# The events that can change a file's bytes or the tree (an allow-list): watchdog also reports
# reads (opened, closed_no_write), and the build reads every file it was told changed.
CHANGES = frozenset({EVENT_TYPE_CREATED, EVENT_TYPE_DELETED, EVENT_TYPE_MOVED, EVENT_TYPE_MODIFIED, EVENT_TYPE_CLOSED})
# Of those, the ones a mere read can cause too: the first read after a write updates the access
# time, which inotify reports as a modification. They count only when the file is not as last seen.
MAYBE = frozenset({EVENT_TYPE_MODIFIED, EVENT_TYPE_CLOSED})


class _Changes(FileSystemEventHandler):
    """Debounced: the rebuild starts once changes have stopped for DEBOUNCE seconds."""

    def __init__(self, callback, only: set[Path] | None = None):
        self.callback, self.only = callback, only
        self.timer: threading.Timer | None = None
        self.seen: dict[str, tuple | None] = {}  # file → its signature when an event last counted
        self.lock = threading.Lock()

    def on_any_event(self, event):
        if event.event_type not in CHANGES or (event.is_directory and event.event_type == EVENT_TYPE_MODIFIED):
            return
        paths = [p for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        if self.only is not None and not any(Path(p).resolve() in self.only for p in paths):
            return
        with self.lock:
            changed = False
            for path in paths:
                signature = _signature(path)
                changed |= event.event_type not in MAYBE or self.seen.get(path, ()) != signature
                self.seen[path] = signature
            if not changed:
                return
            if self.timer:
                self.timer.cancel()
            self.timer = threading.Timer(DEBOUNCE, self.callback)
            self.timer.start()


def _signature(path: str) -> tuple | None:
    """What a change of a file's content or kind changes (not its access time), or None if gone."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_mode)


def run(args) -> int:
    state = State()
    # Between builds, while the editor reads the page: Pagefind stays running (an edit re-indexes a
    # shard), and the next build's staging folder is listed (output.Staging.settle).
    search.keep_services()
    output.list_ahead()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    rebuild(args, state)
    if not args.output.is_dir():
        args.output.mkdir()
    handler = type("Handler", (_Handler,), {"state": state})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port),
                                             functools.partial(handler, directory=str(args.output.resolve())))
    observer = Observer()
    changes = _Changes(lambda: rebuild(args, state))
    for folder in (args.content, THEMES, args.config.parent / "templates", args.config.parent / "static",
                   args.config.parent / "themes"):
        if folder.is_dir():
            observer.schedule(changes, str(folder), recursive=True)
    observer.schedule(_Changes(lambda: rebuild(args, state), {args.config.resolve()}),
                      str(args.config.resolve().parent), recursive=False)
    observer.start()
    print(f"预览地址：http://127.0.0.1:{server.server_address[1]}/ （修改内容后自动重新生成并刷新页面；按 Ctrl+C 停止）",
          flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        server.server_close()
    return 0
