"""繁體 → 简体 folding for search, by character, from the installed OpenCC's own dictionaries.

A query typed in 繁體 on the 简体 site, or in 简体 on the 繁體 mirror, must find the same
documents: both the indexed text and the query are folded to 简体 character by character before
they are cut into terms. The table is not written by hand: every Han character of the Basic
Multilingual Plane goes through OpenCC's t2s, tw2s and hk2s conversions once, and the characters
they change into one other character are the table. Folding is by character, not by phrase, so
it can be done in the browser with a small table (search.js gets it as postings/fold-*.json);
phrases only matter for writing 繁體, not for matching it.
"""
from __future__ import annotations

import functools

import opencc

CONFIGS = ("t2s", "tw2s", "hk2s")  # standard, Taiwan and Hong Kong forms all fold to 简体
_RANGES = ((0x3400, 0xA000), (0xF900, 0xFB00))  # the Han blocks postings.py and search.js cut into bigrams


@functools.lru_cache(maxsize=1)
def table() -> dict[int, str]:
    """Character → its 简体 form, for str.translate. About 4,200 entries, 40 ms to make."""
    chars = [chr(c) for start, end in _RANGES for c in range(start, end)]
    found: dict[int, str] = {}
    for config in CONFIGS:
        # One character a line: no phrase of OpenCC's dictionaries spans a line break.
        converted = opencc.OpenCC(config).convert("\n".join(chars)).split("\n")
        if len(converted) != len(chars):
            raise RuntimeError(f"OpenCC {config} changed the number of lines: cannot build the folding table")
        for char, to in zip(chars, converted):
            if to != char and len(to) == 1:
                found.setdefault(ord(char), to)
    return found


def fold(text: str) -> str:
    return text.translate(table())


def pairs() -> str:
    """The table as the browser reads it: each 繁體 character followed by its 简体 one."""
    return "".join(chr(k) + v for k, v in sorted(table().items()))

