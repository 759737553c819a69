"""The 繁體 mirror: every page again under zh-hant/, converted from Simplified to Traditional
Chinese by OpenCC, with phrase conversion (发布 → 發佈, 头发 → 頭髮, not character by character).

Pages are rendered for the mirror (their links stay inside it) and the rendered HTML is then
converted here: the text and the attribute values people read, never addresses or ids, so
every link and anchor still works; an element marked translate="no" (the 简体 / 繁體 switch)
keeps its words.
"""
from __future__ import annotations

import os
import re

PREFIX = "zh-hant/"  # the mirror's folder
LANG = "zh-Hant"
DEFAULT = "s2t"
CONVERSIONS = {  # OpenCC's configurations: what an editor may write as `traditional`
    "s2t": "OpenCC 标准繁体",
    "s2tw": "台湾正体",
    "s2twp": "台湾正体，并转换常用词",
    "s2hk": "香港繁体",
}
# The attributes whose values people read (or hear): only these are converted. Every other
# attribute (addresses, ids, names, classes, data-* the scripts read) keeps its value, so that no
# link, anchor or script of the mirror breaks, whatever a template or an editor writes.
_READ = frozenset({"alt", "title", "aria-label", "aria-description", "aria-roledescription", "aria-valuetext",
                   "aria-placeholder", "placeholder", "content", "value", "label", "summary", "abbr"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
_NO_TRANSLATE = re.compile(r"""(?:^|\s)translate\s*=\s*["']?no["'\s>/]""")
_TOKEN = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][\w:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
_ATTR = re.compile(r"([\w:-]+)(=\"[^\"]*\")")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_JOIN = "\ue000"  # a private-use character: OpenCC passes it through, and no phrase spans it


def indexes(conversion: str | None) -> list[tuple[str, str, str]]:
    """(folder, record kind, terms kind) of each search index: the site's and, with a
    conversion, the mirror's own (its records and terms are kept in the build cache by kind)."""
    return [("", "html", "terms")] + ([(PREFIX, "hant.html", "hant.terms")] if conversion else [])


def lang(script: str) -> str:
    return LANG if script else "zh-CN"


class Converter:
    def __init__(self, conversion: str):
        self.conversion = conversion
        self._opencc, self._pid = None, None

    def text(self, text: str) -> str:
        if not _HAN.search(text):
            return text
        if self._pid != os.getpid():  # one OpenCC per process: render workers are forked
            import opencc  # noqa: PLC0415 - only builds with a mirror load it
            self._opencc, self._pid = opencc.OpenCC(self.conversion), os.getpid()
        return self._opencc.convert(text)

    def texts(self, texts: list[str]) -> list[str]:
        """Each text converted, in one call to OpenCC where the texts allow it."""
        out = list(texts)
        self._convert_slots(out, list(range(len(out))))
        return out

    def html(self, html: str) -> str:
        """The page with its readable text converted; markup, addresses and ids as they were."""
        pieces: list[str] = []  # the page in order
        slots: list[int] = []  # indexes into pieces of the text to convert
        keep: str | None = None  # the tag whose translate="no" element we are inside
        depth = 0
        pos = 0
        for m in _TOKEN.finditer(html):
            text = html[pos:m.start()]
            if text:
                if keep is None:
                    slots.append(len(pieces))
                pieces.append(text)
            pos = m.end()
            closing, tag = m.group(1), (m.group(2) or "").lower()
            if keep is not None:
                if tag == keep:
                    depth += -1 if closing else 1
                    if depth == 0:
                        keep = None
                pieces.append(m.group(0))
                continue
            attrs = m.group(3) or ""
            if not closing and tag and _NO_TRANSLATE.search(attrs):
                if tag not in _VOID and not attrs.rstrip().endswith("/"):
                    keep, depth = tag, 1
                pieces.append(m.group(0))  # its own attributes keep their words too
                continue
            if not closing and tag and _HAN.search(attrs):
                pieces.append(html[m.start():m.start(3)])  # "<tag"
                last = 0
                for a in _ATTR.finditer(attrs):
                    if a.group(1).lower() not in _READ or not _HAN.search(a.group(2)):
                        continue
                    pieces.append(attrs[last:a.start(2) + 2])  # up to and with ="
                    slots.append(len(pieces))
                    pieces.append(a.group(2)[2:-1])
                    last = a.end(2) - 1
                pieces.append(attrs[last:] + ">")
            else:
                pieces.append(m.group(0))
        if pos < len(html):
            if keep is None:
                slots.append(len(pieces))
            pieces.append(html[pos:])
        self._convert_slots(pieces, slots)
        return "".join(pieces)

    def _convert_slots(self, pieces: list[str], slots: list[int]) -> None:
        wanted = [i for i in slots if _HAN.search(pieces[i])]
        if not wanted:
            return
        parts = None
        if not any(_JOIN in pieces[i] for i in wanted):  # else the page itself holds the joining character
            parts = self.text(_JOIN.join(pieces[i] for i in wanted)).split(_JOIN)
        if parts is None or len(parts) != len(wanted):
            parts = [self.text(pieces[i]) for i in wanted]
        for i, part in zip(wanted, parts):
            pieces[i] = part
