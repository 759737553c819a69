"""YAML read as a tree of strings with positions.

PyYAML's usual loaders follow YAML 1.1 and turn `0123` into 83, `no` into False and
`2024-01-05` into a date. Editors mean the text they typed, so every scalar stays a string
here (BaseLoader) and the schema converts it; positions are kept for error messages.
"""
from __future__ import annotations

import re
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


_NO_ANCHORS = ("不支持 YAML 的锚点和别名（& 和 * 开头的写法）",
               "把值直接写出来；值本身以 * 或 & 开头时，给它加上英文双引号，例如「摘要: \"*以此件为准\"」。")

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
    ("while scanning an alias", "context", *_NO_ANCHORS),
    ("while scanning an anchor", "context", *_NO_ANCHORS),
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
        return _build(yaml.parse(text, Loader=_FAST), first_line)
    except yaml.YAMLError:
        return _slow(text, first_line)  # the pure-Python reader's words and places for the message


# libyaml reads ten times faster; the pure-Python reader explains a mistake the way our
# messages were written against, so it reads any file libyaml refuses.
_FAST = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


def _slow(text: str, first_line: int) -> Node | None:
    try:
        return _build(yaml.parse(text, Loader=yaml.BaseLoader), first_line)
    except yaml.MarkedYAMLError as exc:
        mark, message, hint = _explain(exc)
        line = (mark.line if mark else 0) + first_line
        col = (mark.column if mark else 0) + 1
        raise YamlSyntaxError(line, col, message, hint) from None
    except yaml.YAMLError:
        raise YamlSyntaxError(first_line, 1, "YAML 格式错误", "检查文件开头的元数据块。") from None
    except ValueError:  # the pure-Python reader decodes "\U00110000" with chr(), which refuses it
        beyond = next((m for m in re.finditer(r"\\U([0-9A-Fa-f]{8})", text) if int(m[1], 16) > 0x10FFFF), None)
        where = text[: beyond.start()] if beyond else ""
        raise YamlSyntaxError(first_line + where.count("\n"), len(where) - where.rfind("\n"), "这一行有无效的字符",
                              "删除 \\U 开头的转义写法，直接写出要写的字。") from None


# Front matter and config.yml are a few plain levels. Anchors and aliases (&a, *a) are refused
# outright: ten lines of them stand for a billion values ("billion laughs"), and an editor's
# value that starts with * or & is text that wants quotes. The depth and size limits bound what
# is left: a YAML tree is built here from the parser's events, in a loop, never by recursion.
MAX_DEPTH = 50
MAX_NODES = 100_000
_SURROGATE = re.compile("[\ud800-\udfff]")
_SCALAR, _ALIAS, _DOCUMENT = yaml.ScalarEvent, yaml.AliasEvent, yaml.DocumentStartEvent
_STARTS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_ENDS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def _build(events, first_line: int) -> Node | None:
    """The parser's events → the document's tree (None for an empty stream)."""
    root, document = None, None
    open_: list[tuple[yaml.Event, list]] = []  # collections being read, with their items so far
    nodes = 0
    for event in events:
        kind = type(event)
        if kind is _SCALAR or kind in _STARTS:
            line, col = event.start_mark.line + first_line, event.start_mark.column + 1
            if event.anchor is not None:
                raise _anchor(line, col)
            nodes += 1
            if nodes > MAX_NODES:
                raise YamlSyntaxError(line, col, f"内容太多（超过 {MAX_NODES} 项）",
                                      "元数据和 config.yml 只写设置；大量数据请放进附件。")
            if kind is not _SCALAR:
                if len(open_) >= MAX_DEPTH:
                    raise YamlSyntaxError(line, col, f"嵌套太深（超过 {MAX_DEPTH} 层）",
                                          "检查这一行附近是不是多写了「[」「{」，或者缩进越来越深。")
                open_.append((event, []))
                continue
            # "\ud800" escapes decode to lone surrogates, which no page can be written in.
            if _SURROGATE.search(event.value):
                raise YamlSyntaxError(line, col, "这一行有无效的字符", "删除 \\u 开头的转义写法，直接写出要写的字。")
            node = Scalar(event.value, line, col)
        elif kind in _ENDS:
            start, items = open_.pop()
            line, col = start.start_mark.line + first_line, start.start_mark.column + 1
            node = Seq(tuple(items), line, col) if kind is yaml.SequenceEndEvent else Map(
                tuple(zip(items[::2], items[1::2])), line, col)
        elif kind is _ALIAS:
            raise _anchor(event.start_mark.line + first_line, event.start_mark.column + 1)
        elif kind is _DOCUMENT:
            if document is not None:  # as yaml.compose, which reads a single document
                raise yaml.composer.ComposerError("expected a single document in the stream", document.start_mark,
                                                  "but found another document", event.start_mark)
            document = event
            continue
        else:
            continue  # the stream's start and end, a document's end
        if not open_:
            root = node
            continue
        parent, items = open_[-1]
        if len(items) % 2 == 0 and type(parent) is yaml.MappingStartEvent and type(node) is not Scalar:
            raise YamlSyntaxError(node.line, node.col, "键必须是一段文字", "把这一项写成「键: 值」。")
        items.append(node)
    return root


def _anchor(line: int, col: int) -> YamlSyntaxError:
    return YamlSyntaxError(line, col, *_NO_ANCHORS)


def scalars(node: Node | None):
    """Every scalar of a tree, keys included, in document order (iteratively: trees are shallow
    after load, but this is not the place to find out)."""
    stack = [node] if node is not None else []
    while stack:
        item = stack.pop()
        if isinstance(item, Scalar):
            yield item
        elif isinstance(item, Seq):
            stack.extend(reversed(item.items))
        else:
            for key, value in reversed(item.items):
                stack.extend((value, key))
