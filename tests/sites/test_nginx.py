"""The nginx configuration of generator/deploy.py, run by real nginx over the built sample:
security headers on every response, Pagefind's MIME types, cache rules, each copy's 404 page,
compression, and no dotfile or cache folder served. Skipped where nginx is not installed
(Debian: apt-get install nginx-light)."""
from __future__ import annotations

import dataclasses
import gzip
import http.client
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from gongkai import deploy
from gongkai.build import build
from gongkai.config import Column, load_config
from gongkai.errors import Report

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx", path=os.environ.get("PATH", "") + os.pathsep + "/usr/sbin" + os.pathsep + "/sbin")
DOC = "doc/lanshanqufczzf/2022-0000015/"
SECRET = "不应公开的内容"
NO_NGINX = "nginx 未安装：apt-get install nginx-light（make test 会自动安装）"
FOREVER = f"public, max-age={deploy.HASHED_MAX_AGE}, immutable"


@pytest.fixture(scope="module")
def config():
    return load_config(ROOT / "config.yml", Report())


@pytest.fixture(scope="module")
def site(tmp_path_factory, config):
    """The sample built, plus what must never be served: dotfiles and a cache folder inside output/."""
    out = tmp_path_factory.mktemp("nginx") / "output"
    build(ROOT / "config.yml", ROOT / "content", out)
    for secret in (".secret", "zh-hant/elder/.secret", ".git/config", "static/.env", ".gongkai-cache/last"):
        (out / secret).parent.mkdir(parents=True, exist_ok=True)
        (out / secret).write_text(SECRET, encoding="utf-8")
    return out


def _mime_types() -> Path | None:
    """mime.types beside the nginx.conf this nginx was built for."""
    version = subprocess.run([NGINX, "-V"], capture_output=True, text=True).stderr
    conf = re.search(r"--conf-path=(\S+)", version)
    path = Path(conf[1]).parent / "mime.types" if conf else None
    return path if path and path.is_file() else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def nginx(request, tmp_path_factory, config):
    """Real nginx in the foreground, one process, on a free loopback port: yields a request function."""
    if NGINX is None:
        pytest.skip(NO_NGINX)
    mime = _mime_types()
    if mime is None:
        pytest.skip("找不到 nginx 的 mime.types")
    site = request.getfixturevalue("site")  # built only when nginx can serve it
    prefix = tmp_path_factory.mktemp("nginx-prefix")
    for attempt in range(3):
        port = _free_port()
        conf = prefix / "nginx.conf"
        temp = "\n".join(f"    {kind}_temp_path {prefix / kind};" for kind in ("client_body", "proxy", "fastcgi",
                                                                              "uwsgi", "scgi"))
        conf.write_text(f"""daemon off;
master_process off;
pid {prefix / "nginx.pid"};
error_log stderr crit;
events {{ worker_connections 64; }}
http {{
    include {mime};
    default_type application/octet-stream;
    access_log off;
{temp}
{deploy.nginx_conf(config, site, listen=(f"127.0.0.1:{port}",))}
}}
""", encoding="utf-8")
        process = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(conf), "-e", "stderr"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and process.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        if process.poll() is None:
            break
        error = process.stderr.read()
        if "Address already in use" not in error or attempt == 2:
            pytest.fail(f"nginx 没有启动：{error}")

    def request(path: str, gzip_ok: bool = False, method: str = "GET") -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request(method, quote(path, safe="/%?=&."), headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
        response = connection.getresponse()
        response.body = response.read()
        connection.close()
        return response

    yield request
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def base(config) -> str:
    return urlsplit(config.base_url).path


def assert_secure(response, config) -> None:
    for name, value in deploy.headers(config):
        assert response.getheader(name) == value, name


@pytest.mark.parametrize("path", ["", DOC, "elder/" + DOC, "zh-hant/" + DOC, "zh-hant/elder/" + DOC, "search/",
                                  "zh-hant/search/", "404.html"])
def test_pages_come_with_the_policy_and_are_revalidated(nginx, base, config, path):
    response = nginx(base + path)
    assert response.status == 200
    assert_secure(response, config)
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    assert response.getheader("Cache-Control") == "no-cache"
    assert response.getheader("Server") == "nginx"  # no version


def test_the_sample_policy_is_the_constant(config):
    assert deploy.headers(config)[0] == ("Content-Security-Policy", deploy.CSP)


@pytest.mark.parametrize("path, page", [("no-such-page/", "404.html"), ("static/", "404.html"),
                                        ("elder/no-such-page/", "elder/404.html"),
                                        ("zh-hant/no-such-page", "zh-hant/404.html"),
                                        ("zh-hant/elder/doc/none/", "zh-hant/elder/404.html")])
def test_each_copy_has_its_404_page(nginx, base, config, site, path, page):
    response = nginx(base + path)
    assert (response.status, response.body) == (404, (site / page).read_bytes())
    assert_secure(response, config)


def test_folders_are_redirected_to_their_slash(nginx, base, config):
    response = nginx(base.rstrip("/"))
    assert (response.status, response.getheader("Location")) == (301, base)
    assert_secure(response, config)
    response = nginx(base + DOC.rstrip("/"))
    assert (response.status, response.getheader("Location")) == (301, base + DOC)  # relative: no host, no port


def test_pagefind_files_have_their_types_and_hashed_files_are_kept(nginx, base, config, site):
    bundle = next(site.glob("pagefind/*/pagefind.js")).parent
    hashed = {"pf_meta": next(bundle.glob("*.pf_meta")), "pf_index": next(bundle.glob("index/*.pf_index")),
              "pf_fragment": next(bundle.glob("fragment/*.pf_fragment")),
              "pf_filter": next(bundle.glob("filter/*.pf_filter"))}
    for kind, path in hashed.items():
        response = nginx(base + path.relative_to(site).as_posix(), gzip_ok=True)
        assert response.status == 200, kind
        assert response.getheader("Content-Type") == "application/octet-stream", kind
        assert response.getheader("Cache-Control") == FOREVER, kind
        assert response.getheader("Content-Encoding") is None, kind  # compressed by Pagefind already
        assert response.body == path.read_bytes(), kind
        assert_secure(response, config)
    fixed = {"pagefind.js": "text/javascript; charset=utf-8", "pagefind-worker.js": "text/javascript; charset=utf-8",
             "pagefind-entry.json": "application/json; charset=utf-8", "wasm.unknown.pagefind": "application/wasm"}
    for name, kind in fixed.items():
        response = nginx(base + (bundle / name).relative_to(site).as_posix())
        assert (response.status, response.getheader("Content-Type"), response.getheader("Cache-Control")) == \
            (200, kind, "no-cache"), name
    mirrored = next(site.glob("zh-hant/pagefind/*/*.pf_meta")).relative_to(site).as_posix()
    assert nginx(base + mirrored).getheader("Cache-Control") == FOREVER


def test_postings_named_by_their_hash_are_kept(nginx, base, config, site):
    for path in [next(site.glob("postings/b/*.json")), next(site.glob("postings/s/*.json")),
                 next(site.glob("postings/d/*.json")), next(site.glob("postings/h/*.json")), next(site.glob("zh-hant/postings/b/*.json"))]:
        response = nginx(base + path.relative_to(site).as_posix())
        assert (response.status, response.getheader("Cache-Control")) == (200, FOREVER), path
        assert_secure(response, config)
    index = nginx(base + "postings/index.json")
    assert (index.getheader("Content-Type"), index.getheader("Cache-Control")) == \
        ("application/json; charset=utf-8", "no-cache")


def test_search_files_may_be_read_from_any_origin_and_pages_may_not(nginx, base, config, site):
    """A portal merging this column's Pagefind bundle, or another column's 联合搜索, reads these
    files from its own origin (tests/browser/test_merge.py shows it needs the header)."""
    shared = ["postings/index.json", next(site.glob("postings/d/*.json")), next(site.glob("pagefind/*/pagefind.js")),
              next(site.glob("pagefind/*/*.pf_meta")), next(site.glob("zh-hant/pagefind/*/pagefind-entry.json"))]
    for path in shared:
        rel = path if isinstance(path, str) else path.relative_to(site).as_posix()
        response = nginx(base + rel)
        assert (response.status, response.getheader("Access-Control-Allow-Origin")) == (200, "*"), rel
        assert_secure(response, config)
    for rel in ["", DOC, "static/search.js", "catalogue.json"]:
        assert nginx(base + rel).getheader("Access-Control-Allow-Origin") is None, rel


@pytest.mark.parametrize("path, kind", [("static/site.css", "text/css; charset=utf-8"),
                                        ("feed.xml", "text/xml; charset=utf-8"),
                                        ("catalogue.csv", "text/csv; charset=utf-8"),
                                        ("catalogue.json", "application/json; charset=utf-8"),
                                        ("static/cursor.svg", "image/svg+xml; charset=utf-8"),
                                        ("robots.txt", "text/plain; charset=utf-8"),
                                        ("files/附件/政府信息公开申请表.rtf", "application/rtf")])
def test_other_files_have_their_types(nginx, base, site, path, kind):
    response = nginx(base + path)
    assert (response.status, response.getheader("Content-Type")) == (200, kind)
    assert response.body == (site / path).read_bytes()


def test_text_is_compressed_on_request(nginx, base, site):
    # The build writes no precompressed .gz files, so the configuration has no gzip_static:
    # nginx compresses text itself. Should the build ever write .gz files, add gzip_static.
    assert not list(site.rglob("*.gz"))
    for path in ("", "static/site.css", "static/search.js"):
        response = nginx(base + path, gzip_ok=True)
        assert response.getheader("Content-Encoding") == "gzip", path
        assert response.getheader("Vary") == "Accept-Encoding", path
        assert gzip.decompress(response.body) == (site / (path or "index.html")).read_bytes(), path
    assert nginx(base + "static/site.css").getheader("Content-Encoding") is None


@pytest.mark.parametrize("path", [".secret", "zh-hant/elder/.secret", ".git/config", ".git/", "static/.env",
                                  ".gongkai-cache/last", "%2egit/config", "static/%2eenv",
                                  "../.gongkai-cache/output/last", "%2e%2e/.gongkai-cache/output/last"])
def test_no_dotfile_and_no_cache_folder_is_served(nginx, base, path):
    response = nginx(base + path)
    assert response.status in (400, 404)
    assert SECRET.encode() not in response.body


def test_it_is_written_beside_config_and_only_when_it_changed(tmp_path, config):
    (tmp_path / "config.yml").write_bytes((ROOT / "config.yml").read_bytes())
    moved = load_config(tmp_path / "config.yml", Report())
    target = deploy.write(moved, Path("/srv/www/xxgk"))
    assert target == tmp_path / "deploy" / "nginx.conf"
    assert target.read_text(encoding="utf-8") == deploy.nginx_conf(moved, Path("/srv/www/xxgk"))
    assert 'alias "/srv/www/xxgk/";' in target.read_text(encoding="utf-8")
    stamp = target.stat().st_mtime_ns
    time.sleep(0.01)
    deploy.write(moved, Path("/srv/www/xxgk"))
    assert target.stat().st_mtime_ns == stamp  # unchanged: not written again
    assert f'alias "{tmp_path}/output/";' in deploy.nginx_conf(moved)  # by default, output/ beside config.yml
    assert deploy.write(config, tmp_path / "out", tmp_path / "elsewhere.conf") == tmp_path / "elsewhere.conf"


@pytest.mark.skipif(NGINX is None, reason=NO_NGINX)
def test_a_column_at_the_site_root_without_traditional_is_valid_nginx(tmp_path, config):
    plain = dataclasses.replace(config, base_url="https://www.example.gov.cn/", traditional=None)
    text = deploy.nginx_conf(plain, tmp_path / "output", listen=("127.0.0.1:8",))
    assert 'location "/" {' in text and "zh" not in text and "location =" not in text
    (tmp_path / "nginx.conf").write_text(f"error_log stderr crit;\npid {tmp_path / 'nginx.pid'};\n"
                                         f"events {{}}\nhttp {{\n{text}}}\n", encoding="utf-8")
    checked = subprocess.run([NGINX, "-t", "-q", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
                              "-e", "stderr"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_columns_on_other_hosts_may_be_fetched(config):
    federated = dataclasses.replace(config, federation=(
        Column("兰山区", "https://lanshan.example.gov.cn/xxgk/"),
        Column("罗庄区", "https://luozhuang.example.gov.cn/"),
        Column("同站", "https://example.gov.cn/other/"), Column("旁边", "../beside/")))
    assert deploy.csp(federated) == (deploy.CSP + "; connect-src 'self' https://lanshan.example.gov.cn"
                                     " https://luozhuang.example.gov.cn")
