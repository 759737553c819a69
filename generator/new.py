"""`gongkai new`: a new document with its front matter filled in and explained.

The 索引号 is the next number for the agency and year under the scheme in config.yml,
counted from the documents already in content/. Two editors working apart may take the same
number; the build then reports both files (E113), so nothing is overwritten silently.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .config import Config
from .content import source_files
from .frontmatter import split
from .yamltree import Map

DEFAULT_SCHEME = "{code}/{year}-{seq:07d}"

TEMPLATE = """\
---
# 标题：文件的完整标题。
标题: {title}
# 索引号：全站唯一，由 gongkai new 按 config.yml 的 index_scheme 生成。不要改动，网址由它决定。
索引号: {index_no}
# 公开目录：config.yml 分类树中的路径，从第一级写起，用 / 分隔。
公开目录: {category}
# 发布机构：config.yml 中声明的机构；联合发文用「、」分隔。
发布机构: {agency}
# 发布日期：例如 2024-01-05。
发布日期: {date}
# 公开方式：主动公开（全文公开）、依申请公开（只公开目录信息）或 不予公开（网站上不出现）。
公开方式: 主动公开
# 有效性：有效、失效、废止 或 已修订。
有效性: 有效
# 文号：例如 国办发〔2019〕5号。有文号时去掉下一行开头的 # 并填写。
# 文号:
# 更多字段（成文日期、有效期至、主题分类、关键词、摘要、附件、解读对象、替代文件）见 README「文档字段」。
---

在这里写正文。
"""


class NewFailed(Exception):
    """A value the editor gave is not in config.yml; the message says what is."""


def next_index_no(config: Config, content_dir: Path, code: str, year: int) -> str:
    scheme = config.index_scheme or DEFAULT_SCHEME
    # The scheme as a pattern: the agency's code and the year literal, the sequence captured.
    fill = {"{code}": re.escape(code), "{year}": str(year)}
    pattern = "".join(fill.get(part, r"(\d+)" if part.startswith("{seq") else re.escape(part))
                      for part in re.split(r"(\{code\}|\{year\}|\{seq[^}]*\})", scheme))
    taken = [0]
    for path in source_files(content_dir):
        try:
            meta = split(path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")).meta
        except Exception:  # a broken file is the build's to report; here it simply holds no number
            continue
        if isinstance(meta, Map):
            for key, value in meta.items:
                if key.value in ("索引号", "index_no") and (m := re.fullmatch(pattern, str(getattr(value, "value", "")))):
                    taken.append(int(m[1]))
    return scheme.format(code=code, year=year, seq=max(taken) + 1)


def create(config: Config, content_dir: Path, title: str, category: str, agency: str, date: dt.date) -> Path:
    categories = {c.key: c for c in config.all_categories()}
    if category not in categories:
        leaf = [c for c in categories.values() if c.name == category]
        if len(leaf) != 1:
            raise NewFailed(f"公开目录「{category}」在 config.yml 中不存在。可用的目录：" + "、".join(categories))
        category = leaf[0].key
    by_name = {a.name: a for a in config.agencies}
    if agency not in by_name:
        raise NewFailed(f"发布机构「{agency}」没有在 config.yml 中声明。已声明的机构：" + "、".join(by_name))
    code = by_name[agency].code or by_name[agency].slug
    index_no = next_index_no(config, content_dir, code, date.year)
    path = content_dir / category / (index_no.replace("/", "-") + ".md")
    if path.exists():
        raise NewFailed(f"{path} 已经存在")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TEMPLATE.format(title=title, index_no=index_no, category=category, agency=agency,
                                    date=date.isoformat()), encoding="utf-8")
    return path
