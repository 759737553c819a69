"""Serving the built site: the Content-Security-Policy every page keeps to, the other security
headers, and an nginx server block that sends them (deploy/nginx.conf beside config.yml, never
in output/: what lies there is published).

The policy is the one contract between the theme and the web server: no inline script, no
inline style (no style="…" attribute either), nothing from other origins. tests/browser/test_csp.py
proves in Chromium that every kind of page works under it, tests/sites/test_nginx.py that
nginx sends it with this configuration.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .config import Config
from .postings import FOLDER as POSTINGS
from .render import ELDER
from .search import BUNDLE
from .traditional import PREFIX

# Each directive with why it is there. Pagefind compiles its WebAssembly (in its worker, a
# file of the site: worker-src falls back to script-src); search.js and Pagefind fetch the
# index from the site itself (connect-src falls back to default-src).
CSP_DIRECTIVES = (
    ("default-src", "'self'"),
    ("script-src", "'self' 'wasm-unsafe-eval'"),  # our static/*.js and Pagefind; never inline
    ("style-src", "'self'"),  # static/*.css; no <style>, no style="…" (el.style.x = … in JS is allowed)
    ("img-src", "'self' data:"),  # images and attachments; data: for <link rel="icon" href="data:,">
    ("object-src", "'none'"),
    ("base-uri", "'none'"),
    ("form-action", "'self'"),  # the search forms
    ("frame-ancestors", "'none'"),  # no page may be framed (clickjacking)
)
CSP = "; ".join(f"{name} {value}" for name, value in CSP_DIRECTIVES)

# The other headers every response carries (the policy first).
SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),  # frame-ancestors for browsers that predate it
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
)

# The search files (pagefind/, postings/) are public and read without credentials: any origin may
# fetch them, which a portal merging this column's index, or another column's 联合搜索, needs.
CORS_ORIGIN = "*"
HASHED_MAX_AGE = 31536000  # files named by their content's hash never change: a year, immutable
PAGEFIND_TYPES = {  # Pagefind's own files; nginx's mime.types knows none of the first five
    "pf_meta": "application/octet-stream", "pf_index": "application/octet-stream",
    "pf_fragment": "application/octet-stream", "pf_filter": "application/octet-stream",
    "pagefind": "application/wasm", "js": "text/javascript", "json": "application/json", "css": "text/css",
}
TEXT_TYPES = ("text/css", "text/plain", "text/xml", "text/csv", "text/javascript", "application/javascript",
              "application/json", "application/xml", "application/atom+xml", "image/svg+xml")


def csp(config: Config) -> str:
    """CSP, with the origins of 联合搜索 columns on other hosts added to connect-src (search.js
    and Pagefind fetch their indexes); the same as CSP for a column without such columns."""
    own = _origin(config.base_url)
    others = sorted({_origin(c.url) for c in config.federation if c.url.startswith(("http://", "https://"))} - {own})
    if not others:
        return CSP
    return CSP + "; connect-src 'self' " + " ".join(others)


def headers(config: Config) -> tuple[tuple[str, str], ...]:
    """Every security header, in the order nginx sends them."""
    return (("Content-Security-Policy", csp(config)),) + SECURITY_HEADERS


def nginx_conf(config: Config, root: Path | None = None, listen: tuple[str, ...] = ("80", "[::]:80")) -> str:
    """An nginx server block serving the site in the folder `root` (the web server's path to
    it; default: output/ beside config.yml) under the path of base_url, with the security
    headers, Pagefind's MIME types, cache rules, the 404 page of each copy of the site, and no
    dotfile served."""
    root = Path(os.path.abspath(root or config.root / "output"))
    base = unquote(urlsplit(config.base_url).path)
    host = urlsplit(config.base_url).hostname
    copies = [""] + ([PREFIX] if config.traditional else [])
    mirror = "(" + re.escape(PREFIX) + ")?" if config.traditional else ""
    always = [f"add_header {name} {_q(value)} always;" for name, value in headers(config)]
    fresh = always + ['add_header Cache-Control "no-cache" always;']
    forever = always + [f'add_header Cache-Control "public, max-age={HASHED_MAX_AGE}, immutable" always;']
    shared = [f"add_header Access-Control-Allow-Origin {_q(CORS_ORIGIN)} always;"]  # see CORS_ORIGIN

    def not_found(prefix: str) -> str:
        return f"error_page 403 404 =404 {_q(base + prefix + '404.html')};"

    def copy(script: str) -> list[str]:  # a copy's own 404 page; its 长者模式 twin's inside it
        lines = [not_found(script + ELDER)]
        inner = [f"location {_q(base + script + ELDER)} {{", *_indent(lines), "}"]
        if not script:
            return inner
        return [f"location {_q(base + script)} {{", *_indent([not_found(script), *inner]), "}"]

    site = [
        f"alias {_q(str(root) + '/')};",
        "index index.html;",
        not_found(""),
        *fresh,
        "",
        "# Dotfiles and dot folders (a build's scratch, .git, editors' files) are never served.",
        "location ~ /\\. {",
        "    return 404;",
        "}",
        "",
        "# Open data: nginx's mime.types has no CSV.",
        "location ~ \\.csv$ {",
        "    types {",
        "        text/csv csv;",
        "    }",
        "}",
        "",
        "# Pagefind's index: its own MIME types; the files named by their content's hash kept a year.",
        "# Readable from any origin, so that a portal's search can merge this column (mergeIndex).",
        f"location ~ {_q('^' + re.escape(base) + mirror + re.escape(BUNDLE + '/'))} {{",
        "    types {",
        *[f"        {kind} {' '.join(e for e, k in PAGEFIND_TYPES.items() if k == kind)};"
          for kind in sorted(set(PAGEFIND_TYPES.values()))],
        "    }",
        "    default_type application/octet-stream;",
        *_indent(fresh + shared),
        "    location ~ \\.pf_(meta|index|fragment|filter)$ {",
        *_indent(forever + shared, 2),
        "    }",
        "}",
        "",
        "# postings/: every file but index.json is named by its content's hash. Readable from any",
        "# origin, so that another column's 联合搜索 page can search this one.",
        f"location ~ {_q('^' + re.escape(base) + mirror + re.escape(POSTINGS + '/'))} {{",
        *_indent(fresh + shared),
        "    location ~ /[bdhs]/ {",
        *_indent(forever + shared, 2),
        "    }",
        "}",
        "",
        "# Each copy of the site (长者模式, 繁體) has its own 404 page.",
        *[line for script in copies for line in copy(script)],
    ]
    server = [
        *[f"listen {address};" for address in listen],
        f"server_name {host or '_'};",
        "server_tokens off;",
        "absolute_redirect off;  # a folder without its slash: redirected by a relative Location",
        "charset utf-8;",
        f"charset_types {' '.join(TEXT_TYPES)};",
        "gzip on;  # the site has no precompressed .gz files; Pagefind's are compressed already",
        "gzip_vary on;",
        f"gzip_types {' '.join(TEXT_TYPES)};",
        *always,  # for the redirect below; each location repeats them (nginx inherits add_header only whole)
        "",
        *([f"location = {_q(base.rstrip('/'))} {{", f"    return 301 {_q(base)};", "}", ""] if base != "/" else []),
        f"location {_q(base)} {{",
        *_indent(site),
        "}",
    ]
    return "\n".join([
        f"# nginx: {config.name}（{config.base_url}）",
        "# Written by Gongkai from config.yml (generator/deploy.py): edit config.yml, not this file.",
        "# Put it in the http {} block of nginx.conf (after include mime.types), or include it",
        "# from sites-enabled/. For HTTPS, add your listen … ssl, certificate and HSTS lines.",
        "# Several columns on one host: put their location blocks into one server block.",
        f"# alias: where the web server finds the site ({root}).",
        "server {",
        *_indent(server),
        "}",
        "",
    ])


def not_found_pages(path: str) -> tuple[str, ...]:
    """For a server that is not nginx (gongkai serve, the tests' host): the 404 pages a miss at
    `path` (relative to the site root, no leading /) may get, the copy's own first, as nginx_conf's
    error_page lines send them: zh-hant/elder/ → zh-hant/elder/404.html, elder/ → elder/404.html,
    zh-hant/ → zh-hant/404.html, else 404.html. Serve the first that exists."""
    copies = [prefix for prefix in (PREFIX + ELDER, PREFIX, ELDER) if path.startswith(prefix)]
    return tuple(prefix + "404.html" for prefix in copies) + ("404.html",)


def write(config: Config, root: Path, target: Path | None = None) -> Path:
    """Write the nginx configuration for the site in `root` to `target` (default:
    deploy/nginx.conf beside config.yml), only when it changed; returns where."""
    target = target or config.root / "deploy" / "nginx.conf"
    text = nginx_conf(config, root)
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return target


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _q(text: str) -> str:
    """An nginx string: quoted, so spaces, braces and semicolons stay inside it."""
    if "$" in text or any(ord(c) < 32 for c in text):  # nginx has no escape for a $
        raise ValueError(f"nginx 配置中无法表示的字符（$ 或控制字符）：{text!r}")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _indent(lines: list[str], levels: int = 1) -> list[str]:
    return [("    " * levels + line) if line else "" for line in lines]
