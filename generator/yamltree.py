"""YAML read as a tree of strings with positions.

PyYAML's usual loaders follow YAML 1.1 and turn `0123` into 83, `no` into False and
`2024-01-05` into a date. Editors mean the text they typed, so every scalar stays a string
here (BaseLoader) and the schema converts it; positions are kept for error messages.
"""
from __future__ import annotations

from dataclasses import dataclass

import yaml


@dataclass(frozen=True)
class Scalar:
    value: str
    line: int  # 1-based, in the file the YAML came from
    col: int


@dataclass(frozen=True)
class Seq:
    items: tuple
    line: int
    col: int


@dataclass(frozen=True)
class Map:
    items: tuple  # of (Scalar key, node)
    line: int
    col: int


Node = Scalar | Seq | Map


class YamlSyntaxError(Exception):
    """A YAML error located in the file and explained in Chinese."""

    def __init__(self, line: int, col: int, message: str, hint: str):
        super().__init__(message)
        self.line, self.col, self.message, self.hint = line, col, message, hint


# PyYAML's problem texts → what an editor can act on, and which mark names the faulty line
# ("context": where the construct began; "problem": where PyYAML noticed). First match wins.
_EXPLAINED = (
    ("'\\t'", "problem", "这一行用了 Tab 键缩进", "YAML 只能用空格缩进：把行首的 Tab 换成两个空格。"),
    ("mapping values are not allowed", "problem", "冒号的位置不对",
     "每行写成「键: 值」，冒号后面加一个空格；值里本身有冒号时，给值加上英文双引号。"),
    ("could not find expected ':'", "context", "这一行缺少冒号", "每行写成「键: 值」，冒号用英文半角「:」，后面加一个空格。"),
    ("found unexpected end of stream", "context", "引号没有成对", "检查这一行的引号是否成对出现。"),
    ("while scanning a quoted scalar", "context", "引号没有成对", "检查这一行的引号是否成对出现。"),
    ("did not find expected key", "problem", "缩进不一致", "同一层的键要左对齐，用空格缩进。"),
    ("did not find expected '-' indicator", "problem", "列表的缩进不一致", "列表的每一项以「- 」开头并且左对齐。"),
    ("found character", "problem", "这一行有 YAML 不允许出现在开头的字符", "给这个值加上英文双引号。"),
)


def _explain(exc: yaml.MarkedYAMLError):
    text = f"{exc.context or ''} {exc.problem or ''}"
    for needle, which, message, hint in _EXPLAINED:
        if needle in text:
            mark = (exc.context_mark if which == "context" else None) or exc.problem_mark or exc.context_mark
            return mark, message, hint
    return exc.problem_mark or exc.context_mark, "YAML 格式错误", "对照 README 中的示例检查这一行的写法（键: 值，冒号后加空格，用空格缩进）。"


def load(text: str, first_line: int = 1) -> Node | None:
    """Parse YAML text whose first line is line `first_line` of its file; None when empty."""
    try:
        node = yaml.compose(text, Loader=_FAST)
    except yaml.YAMLError:
        node = _slow(text, first_line)  # the pure-Python reader's words and places for the message
    return None if node is None else _convert(node, first_line)


# libyaml reads ten times faster; the pure-Python reader explains a mistake the way our
# messages were written against, so it reads any file libyaml refuses.
_FAST = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


def _slow(text: str, first_line: int) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=yaml.BaseLoader)
    except yaml.MarkedYAMLError as exc:
        mark, message, hint = _explain(exc)
        line = (mark.line if mark else 0) + first_line
        col = (mark.column if mark else 0) + 1
        raise YamlSyntaxError(line, col, message, hint) from None
    except yaml.YAMLError:
        raise YamlSyntaxError(first_line, 1, "YAML 格式错误", "检查文件开头的元数据块。") from None


def _convert(node: yaml.Node, first_line: int) -> Node:
    line, col = node.start_mark.line + first_line, node.start_mark.column + 1
    if isinstance(node, yaml.ScalarNode):
        # "\ud800" escapes decode to lone surrogates, which no page can be written in.
        if any("\ud800" <= c <= "\udfff" for c in node.value):
            raise YamlSyntaxError(line, col, "这一行有无效的字符", "删除 \\u 开头的转义写法，直接写出要写的字。")
        return Scalar(node.value, line, col)
    if isinstance(node, yaml.SequenceNode):
        return Seq(tuple(_convert(n, first_line) for n in node.value), line, col)
    pairs = []
    for key, value in node.value:
        k = _convert(key, first_line)
        if not isinstance(k, Scalar):
            raise YamlSyntaxError(k.line, k.col, "键必须是一段文字", "把这一项写成「键: 值」。")
        pairs.append((k, _convert(value, first_line)))
    return Map(tuple(pairs), line, col)
