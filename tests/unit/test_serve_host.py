"""`gongkai serve` answers only requests addressed to this machine by name: a page on another
site whose name resolves to 127.0.0.1 (DNS rebinding) sends its own name as Host, and is refused.
A miss gets the 404 page of its own copy of the site, there and in the browser tests' host."""
from __future__ import annotations

import functools
import http.client
import http.server
import threading
from pathlib import Path

import pytest

from gongkai import serve


@pytest.fixture(scope="module")
def port(tmp_path_factory):
    """The preview server's handler on a real server (port 0), serving a one-page site."""
    site = tmp_path_factory.mktemp("served")
    (site / "index.html").write_text("<!DOCTYPE html><html><body><p>首页</p></body></html>", encoding="utf-8")
    handler = type("Handler", (serve._Handler,), {"state": serve.State()})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def get(port: int, path: str, host: str | None, method: str = "GET") -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest(method, path, skip_host=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8")
    finally:
        connection.close()


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}", "127.0.0.1", "localhost",
                                  "[::1]", "LOCALHOST:{port}"])
@pytest.mark.parametrize("path", ["/", "/__gongkai/state", "/__gongkai/reload.js"])
def test_this_machine_by_name_is_served(port, host, path):
    status, body = get(port, path, host.format(port=port))
    assert status == 200
    assert "首页" in body if path == "/" else body


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1.evil.example:{port}",
                                  "localhost.evil.example", "127.0.0.1:{other}", "localhost:{other}", "0.0.0.0:{port}",
                                  "", None])
@pytest.mark.parametrize("path", ["/", "/index.html", "/__gongkai/state", "/__gongkai/reload.js"])
def test_any_other_host_is_refused(port, host, path):
    status, body = get(port, path, None if host is None else host.format(port=port, other=port + 1))
    assert status == 403
    assert body == f"只接受本机地址的访问：请用 http://127.0.0.1:{port}/ 打开预览。\n"


def test_head_is_refused_too(port):
    assert get(port, "/", "evil.example", method="HEAD") == (403, "")
    assert get(port, "/", f"127.0.0.1:{port}", method="HEAD")[0] == 200


def test_is_local_host():
    assert serve.is_local_host("127.0.0.1:8000", 8000)
    assert serve.is_local_host("localhost", 8000)
    assert not serve.is_local_host("localhost:8001", 8000)
    assert not serve.is_local_host("attacker.example", 8000)
    assert not serve.is_local_host(None, 8000)


# --- a miss gets its own copy's 404 page, as nginx sends it (deploy.nginx_conf) -------------------

COPIES = {"404.html": "标准版", "elder/404.html": "长者模式", "zh-hant/404.html": "繁體版",
          "zh-hant/elder/404.html": "繁體长者模式"}
MISSES = [("/nowhere/", "标准版"), ("/doc/x/y/", "标准版"), ("/elderly/", "标准版"), ("/elder/nowhere/", "长者模式"),
          ("/elder/doc/x/?q=1", "长者模式"), ("/zh-hant/nowhere/", "繁體版"), ("/zh-hant/doc/", "繁體版"),
          ("/zh-hant/elder/nowhere/", "繁體长者模式"), ("/zh-hant/elder/a%20b/", "繁體长者模式")]


def test_not_found_pages():
    from gongkai.deploy import not_found_pages
    assert not_found_pages("nowhere/") == ("404.html",)
    assert not_found_pages("elder/x/") == ("elder/404.html", "404.html")
    assert not_found_pages("zh-hant/x/") == ("zh-hant/404.html", "404.html")
    assert not_found_pages("zh-hant/elder/x") == ("zh-hant/elder/404.html", "zh-hant/404.html", "404.html")
    assert not_found_pages("elderly/") == not_found_pages("zh-hantx/") == ("404.html",)


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    """A site with a 404 page in each copy, and a folder without index.html."""
    site = tmp_path_factory.mktemp("copies")
    for rel, name in COPIES.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(f"<!DOCTYPE html><html><body><p>{name}的 404</p></body></html>", encoding="utf-8")
    (site / "doc").mkdir()
    return site


def serving(handler, site: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def preview(copies):
    server = serving(type("Handler", (serve._Handler,), {"state": serve.State()}), copies)
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("path, copy", MISSES)
def test_serve_sends_each_copy_its_own_404(preview, path, copy):
    status, body = get(preview, path, f"127.0.0.1:{preview}")
    assert status == 404
    assert f"<p>{copy}的 404</p>" in body
    assert body.endswith('<script src="/__gongkai/reload.js"></script></body></html>')  # reloads after a rebuild
    assert get(preview, path, f"127.0.0.1:{preview}", method="HEAD") == (404, "")


def test_serve_lists_no_folder(preview):
    assert get(preview, "/doc/", f"127.0.0.1:{preview}")[0] == 404


def test_serve_falls_back_to_the_root_404(tmp_path):
    (tmp_path / "404.html").write_text("<html><body>根</body></html>", encoding="utf-8")
    server = serving(type("Handler", (serve._Handler,), {"state": serve.State()}), tmp_path)
    try:
        port = server.server_address[1]
        status, body = get(port, "/elder/nowhere/", f"127.0.0.1:{port}")
        assert status == 404 and "根" in body
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def hosts(copies):
    """The browser tests' host (tests/browser/chromium.py; no browser needed) serving the site at
    the root and under a base path: base → port."""
    from browser import chromium
    servers = {base: serving(type("Host", (chromium._Host,), {"base": base}), copies) for base in ("/", "/xxgk/")}
    yield {base: server.server_address[1] for base, server in servers.items()}
    for server in servers.values():
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("base", ["/", "/xxgk/"])
@pytest.mark.parametrize("path, copy", MISSES)
def test_the_browser_tests_host_does_the_same(hosts, base, path, copy):
    port = hosts[base]
    assert get(port, base + path.lstrip("/"), f"127.0.0.1:{port}") == (
        404, f"<!DOCTYPE html><html><body><p>{copy}的 404</p></body></html>")
    if base != "/":  # outside the site's folder: the root's 404
        assert get(port, path, f"127.0.0.1:{port}") == (404, "<!DOCTYPE html><html><body><p>标准版的 404</p></body></html>")
