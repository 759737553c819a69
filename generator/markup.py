"""Markdown bodies → safe HTML: Python-Markdown, then nh3 (Ammonia) removes anything executable."""
from __future__ import annotations

import re
from html import unescape

import markdown
import nh3

EXTENSIONS = ("tables", "fenced_code", "sane_lists", "def_list", "abbr", "footnotes", "attr_list")

# Ammonia's defaults plus what Markdown and government CMS bodies use; never script,
# style, event handlers or javascript: URLs.
_TAGS = nh3.ALLOWED_TAGS | {"table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col",
                            "figure", "figcaption", "sup", "sub", "mark", "u", "s", "del", "ins", "span", "div"}
_ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "th": {"scope", "colspan", "rowspan", "align"},
    "td": {"colspan", "rowspan", "align"},
    "ol": {"start", "type"},
    "a": {"href", "title", "hreflang", "id"},
    "img": {"src", "alt", "title", "width", "height"},
    "sup": {"id"},
    "li": {"id"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
}
_SCHEMES = {"http", "https", "mailto", "tel"}


_HEADING = re.compile(r"<(/?)h([1-6])\b")
_CONVERTER: list = []  # one per process


def _converter() -> markdown.Markdown:
    """A converter, reset before each body: Markdown instances keep state (footnotes,
    abbreviations), and making a new one with its extensions costs more than converting."""
    if not _CONVERTER:
        _CONVERTER.append(markdown.Markdown(extensions=list(EXTENSIONS), output_format="html"))
    return _CONVERTER[0]


def to_html(source: str) -> str:
    """Markdown (with raw HTML allowed by the editor) → sanitised HTML fragment.

    The body's highest heading becomes an h2, the rest follow: the page's only h1 is the
    document title, and no level is skipped below it.
    """
    html = sanitize(_converter().reset().convert(source))
    levels = [int(m[2]) for m in _HEADING.finditer(html)]
    shift = 2 - min(levels) if levels else 0
    return _HEADING.sub(lambda m: f"<{m[1]}h{min(6, int(m[2]) + shift)}", html) if shift else html


_TAG = re.compile(r"<[^>]*>")


def text(html: str) -> str:
    """The text of a sanitised fragment (no comments or scripts remain to confuse a regex)."""
    return unescape(_TAG.sub(" ", html))


def sanitize(html: str) -> str:
    return nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_SCHEMES,
                     link_rel="noopener noreferrer", strip_comments=True)
