"""`gongkai serve` answers only requests addressed to this machine by name: a page on another
site whose name resolves to 127.0.0.1 (DNS rebinding) sends its own name as Host, and is refused."""
from __future__ import annotations

import functools
import http.client
import http.server
import threading

import pytest

from generator import serve


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
