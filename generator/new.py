"""`gongkai new`: a new document with its front matter filled in and explained.

The 索引号 is the next number for the agency and year under the scheme in config.yml,
counted from the documents already in content/. Two editors working apart may take the same
number; the build then reports both files (E113), so nothing is overwritten silently.

Values are written as YAML double-quoted scalars (`quoted`), so a title with `#`, `: `, a
leading `[` or a quote reads back exactly as typed; `gongkai import` writes its values the same way.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import re
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path

from . import schema
from .config import Config
from .content import MAX_BYTES, source_files
from .frontmatter import FrontMatterMissing, FrontMatterUnclosed, split
from .yamltree import Map, Scalar, YamlSyntaxError

DEFAULT_SCHEME = "{code}/{year}-{seq:07d}"

TEMPLATE = """\
---
# 标题：文件的完整标题，写在英文双引号里；标题中本身有英文双引号 " 或反斜杠 \\ 时，写成 \\" 和 \\\\。
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

# What json.dumps leaves as it is but YAML reads otherwise: DEL and the C1 controls (not allowed
# in a YAML file), the line breaks YAML adds to \n (NEL, LS, PS: folded into spaces), the BOM,
# the two non-characters and lone surrogates.
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
# Characters no one means in a one-line value: controls (tab and line breaks among them),
# the Unicode line and paragraph separators, and lone surrogates (bytes the terminal could not decode).
_NOT_IN_A_LINE = {"Cc", "Zl", "Zp", "Cs"}


class NewFailed(Exception):
    """A value the editor gave cannot make a document; the message says why, in Chinese."""


@dataclass(frozen=True)
class Created:
    path: Path
    index_no: str


def quoted(value: str) -> str:
    """`value` as a YAML double-quoted scalar that yamltree reads back exactly."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", json.dumps(value, ensure_ascii=False))


def target(content_dir: Path, category: str, name: str) -> Path:
    """content/<category>/<name>.md; NewFailed when a part is too long or the file would lie outside content/."""
    if len(os.fsencode(name + ".md")) > 255:
        raise NewFailed(f"索引号太长：文件名超过 255 字节（{len(os.fsencode(name))} 字节）")
    if any(len(os.fsencode(part)) > 255 for part in category.split("/")):
        raise NewFailed(f"公开目录「{category}」中有超过 255 字节的名称，不能用作文件夹名")
    path = content_dir / category / f"{name}.md"
    # Category names come from config.yml, but `..` or a linked folder would still lead out.
    try:
        inside = path.resolve().is_relative_to(content_dir.resolve())
    except (OSError, RuntimeError, ValueError):  # a link loop, a NUL byte
        inside = False
    if not inside:
        raise NewFailed(f"公开目录「{category}」会把文件写到 {content_dir}/ 以外，不能用作文件夹")
    return path


def write_atomic(path: Path, text: str) -> None:
    """Write through a hidden temporary file beside `path`, then rename: never a half-written .md.
    (Hidden, so a build that runs meanwhile, or after a crash, does not read it.)"""
    temp = path.with_name(f".gongkai-{uuid.uuid4().hex[:12]}.tmp")
    try:
        with open(temp, "x", encoding="utf-8", newline="") as out:  # not mkstemp: its files are private (0600)
            out.write(text)
        os.replace(temp, path)
    except BaseException:  # an interrupt too: the temporary file goes, the target was never touched
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


# What an editor can act on, for the errors a write meets; others in the system's words.
_WHY = {errno.ENOENT: "不存在", errno.EACCES: "没有权限", errno.EPERM: "没有权限", errno.ENOSPC: "磁盘已满",
        errno.EROFS: "磁盘是只读的", errno.EEXIST: "已有同名的文件", errno.ENOTDIR: "路径中有同名的文件挡住了文件夹",
        errno.EISDIR: "这是一个文件夹", errno.ENAMETOOLONG: "名称太长"}


def why(exc: OSError) -> str:
    """An OSError in Chinese, for a message: 「磁盘已满」 rather than 'No space left on device'."""
    return _WHY.get(exc.errno, exc.strerror or str(exc))


def next_index_no(config: Config, content_dir: Path, code: str, year: int) -> str:
    scheme = config.index_scheme or DEFAULT_SCHEME
    parts = re.split(r"(\{code\}|\{year\}|\{seq[^}]*\})", scheme)
    try:
        if sum(part.startswith("{seq") for part in parts) != 1:
            raise ValueError
        scheme.format(code=code, year=year, seq=1)
    except (KeyError, IndexError, ValueError):
        raise NewFailed(f"config.yml 的 index_scheme「{scheme}」写法不对：只能用 {{code}}、{{year}} "
                        "和一个 {seq:07d} 这样的序号，例如 {code}/{year}-{seq:07d}。") from None
    # The scheme as a pattern: the agency's code and the year literal, the sequence captured.
    fill = {"{code}": re.escape(code), "{year}": str(year)}
    pattern = re.compile("".join(fill.get(part, "([0-9]{1,18})" if part.startswith("{seq") else re.escape(part))
                                 for part in parts))
    taken = [0]
    for path in source_files(content_dir):
        if (value := _index_no(path)) and (m := pattern.fullmatch(value)):
            taken.append(int(m[1]))
    return scheme.format(code=code, year=year, seq=max(taken) + 1)


def _index_no(path: Path) -> str | None:
    """The 索引号 a file holds, read as the build reads it; None for a file the build would refuse
    (the build reports it), and for anything that is not a regular file of a sane size (a FIFO would block)."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return None
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gb18030")  # the build reads GBK files too (W203)
        meta = split(text.replace("\r\n", "\n").replace("\r", "\n")).meta
    except (OSError, UnicodeDecodeError, FrontMatterMissing, FrontMatterUnclosed, YamlSyntaxError, RecursionError):
        return None
    if isinstance(meta, Map):
        for key, value in meta.items:
            if key.value.strip() in ("索引号", "index_no") and isinstance(value, Scalar):
                return value.value.strip()
    return None


def _one_line(label: str, value: str) -> str:
    """A value typed by the editor, trimmed (the build trims it too); refused when empty or not one line of text."""
    value = value.strip()
    if not value:
        raise NewFailed(f"{label}是空的。")
    bad = next((c for c in value if unicodedata.category(c) in _NOT_IN_A_LINE), None)
    if bad is not None and unicodedata.category(bad) == "Cs":
        raise NewFailed(f"{label}中有无法识别的字符：终端的编码可能不是 UTF-8，请在 UTF-8 编码的终端中重新输入。")
    if bad is not None:
        raise NewFailed(f"{label}中有换行、制表符或其他控制字符（U+{ord(bad):04X}）："
                        f"{label}只能是一行文字，删除这个字符后重试。")
    return value


def create(config: Config, content_dir: Path, title: str, category: str, agency: str, date: dt.date) -> Created:
    title, category, agency = (_one_line(label, value) for label, value in
                               (("标题", title), ("公开目录", category), ("发布机构", agency)))
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
    path = target(content_dir, category, index_no.replace("/", "-"))
    if path.exists():
        raise NewFailed(f"{path} 已经存在")
    # A name with 、 or a comma in it is one agency: written as a one-item list, the build does not split it.
    agency_value = quoted(agency) if schema.split_list(agency) == [agency] else f"[{quoted(agency)}]"
    text = TEMPLATE.format(title=quoted(title), index_no=quoted(index_no), category=quoted(category),
                           agency=agency_value, date=date.isoformat())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text)
    except OSError as exc:
        raise NewFailed(f"无法写入 {exc.filename or path}（{why(exc)}）") from None
    return Created(path, index_no)
