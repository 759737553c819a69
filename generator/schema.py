"""The document schema: every front-matter field, its Chinese and English key, and its rule.

Declared once; content.py checks documents against it and README's table is taken from it.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    key: str  # the English key, also the attribute name on Document
    zh: str  # the Chinese key
    required: bool
    kind: str  # how content.py converts it: text, index_no, category, agencies, date, mode, validity, list, files, ref
    doc: str
    on_request: bool | None = None  # shown in a 依申请公开 catalogue entry; every field must say (disclosure.py)
    attr: str = ""  # the Document attribute, when it differs from `key`

    @property
    def name(self) -> str:
        return self.attr or self.key


FIELDS = (
    Field("title", "标题", True, "text", "文件标题", on_request=True),
    Field("index_no", "索引号", True, "index_no", "全站唯一的索引号，原样保留，文档网址由它生成", on_request=True),
    Field("category", "公开目录", True, "category", "config.yml 分类树中的路径，如 法定主动公开内容/法规文件/行政规范性文件", on_request=True),
    Field("agency", "发布机构", True, "agencies", "config.yml 中声明的机构；联合发文用「、」分隔或写成列表", on_request=True, attr="agencies"),
    Field("date", "发布日期", True, "date", "发布日期，如 2021-07-24、2021/7/24 或 2021年7月24日", on_request=True),
    Field("written", "成文日期", False, "date", "成文日期", on_request=True),
    Field("mode", "公开方式", True, "mode", "主动公开、依申请公开 或 不予公开", on_request=True),
    Field("doc_no", "文号", False, "text", "发文字号，如 国办发〔2019〕5号", on_request=True),
    Field("validity", "有效性", False, "validity", "有效（默认）、失效、废止 或 已修订", on_request=True),
    Field("valid_until", "有效期至", False, "date", "有效期截止日期；过了这一天，文件自动失效", on_request=True),
    Field("ended", "失效日期", False, "date", "废止、失效或被修订的日期（有效期届满自动失效的不用填）", on_request=True),
    Field("subject", "主题分类", False, "text", "主题分类，如 卫生、体育\\医药管理", on_request=True),
    Field("keywords", "关键词", False, "list", "关键词列表", on_request=False),
    Field("summary", "摘要", False, "text", "内容摘要", on_request=False),
    Field("attachments", "附件", False, "files", "附件文件列表，路径相对于本文档所在目录，文件须在 content/ 内", on_request=False),
    Field("interprets", "解读对象", False, "ref", "本解读所解读的政策文件的索引号", on_request=True),
    Field("superseded_by", "替代文件", False, "ref", "替代本文件的新文件的索引号", on_request=True),
    Field("annual", "年报", False, "annual", "政府信息公开年报的年度和表格数字（见 README「年报」）", on_request=False),
)

BY_KEY = {f.key: f for f in FIELDS} | {f.zh: f for f in FIELDS}

MODES = ("主动公开", "依申请公开", "不予公开")
VALIDITIES = ("有效", "失效", "废止", "已修订")

_DATE_PATTERNS = (
    re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})"),
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?"),
)


def normalize(text: str) -> str:
    """Full-width digits, letters and spaces → their ASCII forms; trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


# Characters no editor means and no XML file may hold: C0 and C1 controls but tab and line
# breaks (a Word vertical tab, NUL, ESC), noncharacters such as U+FFFE, and lone surrogates.
INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]")


def describe(char: str) -> str:
    return f"U+{ord(char):04X}"


def index_key(text: str) -> str:
    """A 索引号 as the site knows it, wherever it is written (索引号, 解读对象, 替代文件):
    full-width letters and digits as ASCII, trimmed, so that the same number typed two ways is
    one document, and two files whose numbers differ only in width collide (E113)."""
    return normalize(text)


def parse_date(text: str) -> dt.date | None:
    """2021-07-24, 2021/7/24, 2021.7.24, 2021年7月24日 (full-width digits too) → date; None if not a date."""
    value = normalize(text)
    for pattern in _DATE_PATTERNS:
        m = pattern.fullmatch(value)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
    return None


_LIST_SPLIT = re.compile(r"\s*[、，,；;]\s*")


def split_list(text: str) -> list[str]:
    """`国务院办公厅、中央军委办公厅` → both names; commas and semicolons, full- or half-width, also split."""
    return [part for part in _LIST_SPLIT.split(text.strip()) if part]
