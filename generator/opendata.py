"""Open data (公共数据开放): the catalogue of every published document as catalogue.json and
catalogue.csv, newest first (ties by 索引号, the site's one order), and the table of fields
that the data page (data.html) documents.

Only what the gate let through comes here (disclosure.publishable): 依申请公开 entries are in
the catalogue with their metadata, as on their pages; their summary and attachments were
emptied by the gate. 不予公开 documents never reach this module.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import quote

from . import frozen
from .carried import Carried
from .model import Document

JSON, CSV = "catalogue.json", "catalogue.csv"
PAGE = "data/"  # the page that documents the fields and links both files


@dataclass(frozen=True)
class Column:
    key: str  # the JSON key
    zh: str  # the CSV heading
    kind: str  # how it is written: 文本, 日期, 列表, 网址
    doc: str
    # (document, base_url) → str, list or None: code, which the cache keys on as code (toolchain.py)
    value: Callable = field(metadata=frozen.LEAVE_OUT)


def _url(base_url: str, path: str) -> str:
    return base_url + quote(path, safe="/~-_.")


COLUMNS = (
    Column("index_no", "索引号", "文本", "全站唯一的索引号，原样照录", lambda d, b: d.index_no),
    Column("title", "标题", "文本", "文件标题", lambda d, b: d.title),
    Column("url", "网址", "网址", "本文件在本站的页面地址", lambda d, b: _url(b, d.url)),
    Column("category", "公开目录", "文本", "公开目录中的位置，从第一级到本级用 / 连接", lambda d, b: d.category.key),
    Column("agencies", "发布机构", "列表", "发布机构；联合发文有多个", lambda d, b: [a.name for a in d.agencies]),
    Column("date", "发布日期", "日期", "发布日期", lambda d, b: d.date.isoformat()),
    Column("written", "成文日期", "日期", "成文日期；没有写明的为空", lambda d, b: d.written and d.written.isoformat()),
    Column("doc_no", "文号", "文本", "发文字号；没有文号的为空", lambda d, b: d.doc_no),
    Column("mode", "公开方式", "文本", "主动公开，或 依申请公开（只公开目录信息，全文须依法申请）", lambda d, b: d.mode),
    Column("validity", "有效性", "文本", "生成数据当天的状态：有效、失效、废止 或 已修订", lambda d, b: d.validity),
    Column("valid_until", "有效期至", "日期", "有效期截止日期；没有写明的为空", lambda d, b: d.valid_until and d.valid_until.isoformat()),
    Column("ended", "失效日期", "日期", "废止、失效或被修订的日期；仍然有效的为空", lambda d, b: d.ended and d.ended.isoformat()),
    Column("subject", "主题分类", "文本", "主题分类", lambda d, b: d.subject),
    Column("keywords", "关键词", "列表", "关键词", lambda d, b: list(d.keywords)),
    Column("summary", "摘要", "文本", "内容摘要；依申请公开的条目为空", lambda d, b: d.summary),
    Column("attachments", "附件", "列表", "附件的下载地址", lambda d, b: [_url(b, "files/" + a.rel) for a in d.attachments]),
    Column("interprets", "解读对象", "文本", "政策解读所解读的文件的索引号", lambda d, b: d.interprets),
    Column("superseded_by", "替代文件", "文本", "替代本文件的新文件的索引号", lambda d, b: d.superseded_by),
)

SEPARATOR = "；"  # joins a list in one CSV cell
_FORMULA = ("=", "+", "-", "@", "\t", "\r")  # a cell starting so is a formula to Excel (CSV injection)


def catalogue(name: str, base_url: str, documents: list[Document]) -> tuple[bytes, bytes]:
    """catalogue.json and catalogue.csv."""
    rows = [_ROWS.get(doc, base_url) or _ROWS.put(doc, (base_url,), _row(doc, base_url)) for doc in documents]
    _ROWS.turn()
    return _json(name, base_url, [r[0] for r in rows]), _csv([r[1] for r in rows])


# Each document's line of either file, for the next build of this process (carried.py): an edit
# in make serve writes both files again, and ten thousand rows cost a third of a second.
_ROWS = Carried()


def _row(doc: Document, base_url: str) -> tuple[str, str]:
    """The document's line of catalogue.json and of catalogue.csv."""
    values = [c.value(doc, base_url) for c in COLUMNS]
    line = " " + json.dumps({c.key: v for c, v in zip(COLUMNS, values)}, ensure_ascii=False)
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerow([_cell(v) for v in values])
    return line, out.getvalue()


def _json(name: str, base_url: str, lines: list[str]) -> bytes:
    """One document to a line, so that a change between two versions shows as that line."""
    head = {"name": name, "base_url": base_url, "count": len(lines),
            "fields": [{"key": c.key, "name": c.zh, "type": c.kind, "description": c.doc} for c in COLUMNS]}
    rows = ",\n".join(lines)
    text = json.dumps(head, ensure_ascii=False)[:-1] + ',\n"documents": [\n' + rows + ("\n" if rows else "") + "]}\n"
    return text.encode("utf-8")


def _csv(lines: list[str]) -> bytes:
    """UTF-8 with a byte-order mark, which is how Excel knows the file is UTF-8."""
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerow([c.zh for c in COLUMNS])
    return "\ufeff".encode("utf-8") + (out.getvalue() + "".join(lines)).encode("utf-8")


def _cell(value) -> str:
    if value is None:
        return ""
    text = SEPARATOR.join(value) if isinstance(value, list) else str(value)
    return "'" + text if text.startswith(_FORMULA) else text
