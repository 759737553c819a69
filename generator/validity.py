"""有效性 as of the build date, and the rules that make documents 规范性文件.

A document whose 有效期至 has passed is 失效 from the next day, whatever its front matter says.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from .model import Document

VALID = "有效"
EXPIRED = "失效"

# Category names the 条例 and 国办公开办函〔2021〕30号 count as 规范性文件: their pages always show
# their validity, the current-rules catalogue lists them, the 年报 counts them.
NORMATIVE = ("规章", "行政规范性文件")


# How lists, search results and feeds name a document no longer in force: a word, never colour alone.
WORDS = {"失效": "已失效", "废止": "已废止", "已修订": "已修订"}


def word(value: str) -> str:
    """「已废止」 for 废止; "" for a document in force."""
    return WORDS.get(value, "")


def as_of(doc: Document, today: dt.date) -> Document:
    """The document with its validity as of `today`."""
    if doc.validity == VALID and doc.valid_until and doc.valid_until < today:
        return dataclasses.replace(doc, validity=EXPIRED, ended=doc.valid_until + dt.timedelta(days=1))
    return doc


def is_normative(doc: Document) -> bool:
    return doc.category.name in NORMATIVE
