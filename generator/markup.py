"""Markdown bodies → safe HTML: Python-Markdown, then nh3 (Ammonia) removes anything executable.

Two kinds of body would otherwise hang the build or lose text, and both are handled here:

- Python-Markdown is quadratic or worse on some shapes (a run of `[` that never closes, thousands
  of headings with no blank line between them, lists nested hundreds deep), html.parser on `<a`
  without `>`, and html5ever on thousands of nested <div>s. A body is measured first, in one
  linear pass, and the work it will cost estimated; a body over the budget is shown as plain
  paragraphs, every word kept (W210, W211, W213).
- An unclosed <style>, <script>, <textarea>… makes the rest of the body that element's content,
  which the sanitiser drops or shows as raw source. Its opening tag is shown as text instead
  (&lt;style>), and the rest of the body stays the body (W212).

check() tells the editor, at read time; to_html() applies the same survey, so what check()
says is what the page shows, and it returns on any input without raising.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from html import escape, unescape

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


@dataclass(frozen=True)
class Finding:
    """A problem of a body, at a line of the body (1 = its first line)."""

    line: int
    col: int
    code: str
    message: str
    hint: str


_HEADING = re.compile(r"<(/?)h([1-6])\b")
_CONVERTER: list = []  # one per process


def _converter() -> markdown.Markdown:
    """A converter, reset before each body: Markdown instances keep state (footnotes,
    abbreviations), and making a new one with its extensions costs more than converting."""
    if not _CONVERTER:
        _CONVERTER.append(markdown.Markdown(extensions=list(EXTENSIONS), output_format="html"))
    return _CONVERTER[0]


def check(source: str) -> list[Finding]:
    """What to_html() does to this body that its editor should know: shown as plain text
    (W210, W211, W213) or an unclosed raw-text tag shown as text (W212)."""
    return _survey(source).findings


def to_html(source: str) -> str:
    """Markdown (with raw HTML allowed by the editor) → sanitised HTML fragment.

    The body's highest heading becomes an h2, the rest follow: the page's only h1 is the
    document title, and no level is skipped below it.
    """
    survey = _survey(source)
    if survey.plain:
        return _plain(source)
    try:
        html = _clean(_converter().reset().convert(survey.source))  # its nesting was surveyed
    except RecursionError:
        # A nesting the survey does not know: the converter may be left half-way through a
        # body, so it is replaced, and the page shows the text.
        _CONVERTER.clear()
        return _plain(source)
    levels = [int(m[2]) for m in _HEADING.finditer(html)]
    shift = 2 - min(levels) if levels else 0
    return signed(_HEADING.sub(lambda m: f"<{m[1]}h{min(6, int(m[2]) + shift)}", html) if shift else html)


# The 落款 of a 公文 (GB/T 9704): the body ends with a paragraph holding only a date
# (2021年7月23日, 二〇二一年七月二十三日), after at most one short paragraph naming the issuing
# agency. Both are marked class="signature" and shown right-aligned; editors write nothing special.
_NUMERAL = "0-9０-９〇零一二三四五六七八九十"
_DATE = re.compile(rf"[{_NUMERAL}]{{4}}年[{_NUMERAL}]{{1,3}}月[{_NUMERAL}]{{1,3}}日")
_LAST_PARAGRAPHS = re.compile(r"(?:<p>([^<>]*)</p>\s*)?<p>([^<>]*)</p>\s*$")
AGENCY_MAX = 40  # characters: an agency's name, or two joined by spaces, never a sentence


def signed(html: str) -> str:
    found = _LAST_PARAGRAPHS.search(html)
    if not found or not _DATE.fullmatch(found[2].strip()):
        return html
    agency = found[1]
    if agency is not None and (len(agency.strip()) > AGENCY_MAX or any(c in agency for c in "。；：，")):
        agency = None  # the paragraph before is text: only the date is the 落款
    start = found.start(2) - 3 if agency is None else found.start()
    tail = html[start:]
    return html[:start] + tail.replace("<p>", '<p class="signature">')


_TAG = re.compile(r"<[^<>]*>")  # not [^>]*: from each of many `<` to a far `>` is quadratic


def text(html: str) -> str:
    """The text of a sanitised fragment (no comments or scripts remain to confuse a regex)."""
    return unescape(_TAG.sub(" ", html))


# A tag of sanitised HTML: its serializer quotes every attribute value with " and escapes " inside
# (a value may hold < or >), and escapes every < of the text.
_SANITISED_TAG = re.compile(r'<(?:[^<>"]|"[^"]*")*>')
# Where a reader sees a break: text on either side of these tags is not one run of characters.
_BLOCK = re.compile(r'</?(?:p|div|h[1-6]|li|ul|ol|dl|dt|dd|table|thead|tbody|tfoot|tr|td|th|caption|br|hr|'
                    r'blockquote|pre|section|article|figure|figcaption|details|summary)\b(?:[^<>"]|"[^"]*")*>', re.I)
# A line break inside a paragraph of Chinese is no space: 做好防汛\n工作 is one phrase.
_SOFT_BREAK = re.compile(r"(?<=[\u3400-\u9fff\uf900-\ufaff])[ \t]*\n[ \t]*(?=[\u3400-\u9fff\uf900-\ufaff])")


def plain(html: str) -> str:
    """The text of a sanitised fragment as a reader sees it: a line per block, inline markup
    gone (做好<strong>防汛</strong>工作 stays one phrase), spaces collapsed."""
    html = _SOFT_BREAK.sub("", html).replace("\n", " ")  # a line break in the source is a space
    text = unescape(_SANITISED_TAG.sub("", _BLOCK.sub("\n", html)))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def sanitize(html: str) -> str:
    """HTML from anywhere (an import) → the allowed tags and attributes only; its text alone
    when it is nested too deep for html5ever to read in time."""
    if _nesting(html)[0] > BUDGET:
        return _plain(text(_escape_unclosed(html)))
    return _clean(html)


def _clean(html: str) -> str:
    return nh3.clean(_escape_unclosed(html), tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_SCHEMES,
                     link_rel="noopener noreferrer", strip_comments=True)


def _plain(source: str) -> str:
    """The text as written, in paragraphs; everything escaped, so nothing to sanitise."""
    paragraphs = re.split(r"\n[ \t]*\n", source)
    return "\n".join("<p>" + escape(p.strip("\n")).replace("\n", "<br>\n") + "</p>" for p in paragraphs if p.strip())


# --- raw-text elements ------------------------------------------------------------------------
# Everything from <style> to </style> is the element's content, Markdown included: the sanitiser
# drops the content of script and style, and shows that of the others as source. <plaintext>
# never ends. <template>'s content is not the document's.

_RAW_TEXT = ("script", "style", "textarea", "title", "xmp", "noscript", "iframe", "noembed", "noframes",
             "plaintext", "template")
_RAW_OPEN = re.compile(r"<(" + "|".join(_RAW_TEXT) + r")(?=[\s/>]|$)", re.IGNORECASE)
_RAW_CLOSE = re.compile(r"</(" + "|".join(_RAW_TEXT) + r")(?=[\s/>]|$)", re.IGNORECASE)


def _unclosed(text: str, in_code=lambda pos: False) -> list[int]:
    """Offsets of the opening tags of raw-text elements that nothing closes. A tag in code
    (`in_code`) is shown as text by Python-Markdown, so it neither opens nor closes."""
    closings: dict[str, list[int]] = {}
    for m in _RAW_CLOSE.finditer(text):
        if not in_code(m.start()):
            closings.setdefault(m[1].lower(), []).append(m.start())
    found, inside_until = [], -1
    for m in _RAW_OPEN.finditer(text):
        if m.start() < inside_until or in_code(m.start()):
            continue
        name = m[1].lower()
        ends = closings.get(name, []) if name != "plaintext" else []
        i = bisect_right(ends, m.start())
        if i < len(ends):
            inside_until = ends[i]
        else:
            found.append(m.start())
    return found


def _escape_at(text: str, offsets: list[int]) -> str:
    """The `<` at each offset written as `&lt;`."""
    pieces, last = [], 0
    for pos in offsets:
        pieces += [text[last:pos], "&lt;"]
        last = pos + 1
    return "".join(pieces) + text[last:]


def _escape_unclosed(html: str) -> str:
    return _escape_at(html, _unclosed(html)) if _RAW_OPEN.search(html) else html


# --- the survey: what a body will cost -------------------------------------------------------
# Work is estimated in nanoseconds of Python-Markdown, html.parser and nh3, from the shapes that
# make them slow. The weights were measured on generated bodies of each shape, a little above
# the worst seen; tests/unit/test_hostile_markup.py keeps one of each. The 2,864 real bodies of
# ../shared/corpus and the golden site estimate under a quarter of the budget (the largest,
# 118 KB in 12,616 lines, takes a quarter of a second), and render exactly as before.

BUDGET = 1.5e9  # ns; a body over it is shown as plain text
MAX_DEPTH = 20  # lists and quotes: Python-Markdown recurses at each level
MAX_DEFINITIONS = 100  # 「: 」 lines in one block: def_list recurses at each

_PER_CHAR, _PER_LINE, _PER_MARK = 300, 5_000, 20_000  # each read once; each inline match handled
_PER_ITEM, _PER_BLOCK, _PER_HTML_BLOCK = 80_000, 30_000, 80_000  # list items and table rows; blocks
_BLOCKS_SQUARED = 1  # the list of blocks is shifted once per block
_SPLIT_LINE, _SPLIT_CHAR = 30, 20  # a heading or a rule splits its block, the rest is tested again,
_SPLIT_ABBREVIATION = 90  # and an abbreviation's definition too, by more patterns
_ABBREVIATION = 3  # the abbreviations' pattern tries each at every position
_FENCE = 1  # the fenced-code search reads the body again at each ``` line
_COPY = 0.3  # each inline match copies its paragraph
_OPEN_BRACKET, _CLOSED_BRACKET = 1_000, 250  # each link pattern reads from `[` to its `]` in Python
_OPEN_TAG = 60  # html.parser reads from `<a` to the next `>`, however far
_TICK = 200  # the code-span pattern reads from a run of backticks to the next as long
_FOOTNOTE_AGAIN = 800  # the n-th reference to a footnote looks through the n - 1 before it
_NESTED_TAG = 6  # html5ever walks the open elements at each tag

_MARKDOWN_FIRST = frozenset(" \t>-*+0123456789#[:|<=_~`") | {""}  # what a line of other text does not start with
_PREFIX = re.compile(r"((?:[ ]{0,3}>)*)([ \t]*)")
_LIST_ITEM = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_MARKERS = re.compile(r"(?:(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)|>[ \t]*)+")  # "- 1. > - x" opens four containers
_MARKER = re.compile(r"[-*+>]|\d{1,9}[.)]")
_SPLITTER = re.compile(r"#{1,6}(?:[ \t]|$)|(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|=+[ \t]*)$")
_BLOCK_TAGS = frozenset("address article aside blockquote center dd details dir div dl dt fieldset figcaption figure "
                        "footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main menu nav ol p pre section table "
                        "tbody td tfoot th thead tr ul".split())
# Lines that start a new run of inline text: headings, definitions, table rows, HTML blocks.
_NEW_UNIT = re.compile(r"#{1,6}(?:[ \t]|$)|\[\^?[^\]\n]*\]:|:[ \t]|\||</?(?:" + "|".join(sorted(_BLOCK_TAGS)) + r")\b",
                       re.IGNORECASE)
_FENCE_LINE = re.compile(r"^(`{3,}|~{3,})", re.MULTILINE)
_RUNS = re.compile(r"[*_`]+")
_TAG_OR_ENTITY = re.compile(r"</?[a-zA-Z]|<[!?]|&[#a-zA-Z0-9]")
_BRACKETS = re.compile(r"[\[\]()]")
_OPENING_TAG = re.compile(r"<[a-zA-Z]")
_TICKS = re.compile(r"`+")
_FOOTNOTE = re.compile(r"\[\^([^\]\n]{0,100})\]")  # bounded: an unclosed one is not read to the end
_WORDS = re.compile(r"\w+")
_HTML_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


@dataclass
class _Survey:
    source: str  # what Python-Markdown is given: unclosed raw-text tags escaped
    findings: list
    plain: bool = False  # shown as plain text


@dataclass
class _Work:
    """Estimated work by kind, each with the line that costs most and a number to tell."""

    lines: int
    chars: int
    total: float = 0.0
    worst: dict = field(default_factory=dict)  # kind → (cost, line, number)

    def add(self, kind: str, cost: float, line: int, number: int = 0) -> None:
        self.total += cost
        if cost > self.worst.get(kind, (0,))[0]:
            self.worst[kind] = (cost, line, number)


def _survey(source: str) -> _Survey:
    work, fenced, finding = _measure(source)
    if finding is None and work.total > BUDGET:
        finding = _too_much(work)
    if finding is not None:
        return _Survey(source, [finding], plain=True)
    unclosed = _unclosed(source, _CodeSpans(source, fenced).contains)
    findings = []
    for pos in unclosed:
        name = _RAW_OPEN.match(source, pos)[1].lower()
        unclosed_by = "会把后面的整篇正文都变成源代码" if name == "plaintext" else f"没有结束标签 </{name}>"
        findings.append(Finding(
            source.count("\n", 0, pos) + 1, pos - source.rfind("\n", 0, pos), "W212",
            f"<{name}> {unclosed_by}，已经把它按文字显示，后面的正文照常显示",
            f"正文里不需要 <{name}>：删除它。否则它后面的整篇正文都会被当作 <{name}> 的内容，在网页上看不到。"))
    return _Survey(_escape_at(source, unclosed), findings)


def _measure(source: str) -> tuple[_Work, list, Finding | None]:
    """The work of converting `source`; its fenced code blocks; a nesting too deep to try."""
    work = _Work(source.count("\n") + 1, len(source))
    work.add("size", work.chars * _PER_CHAR + work.lines * _PER_LINE, 1)
    if work.total > BUDGET:  # too long even to measure line by line
        return work, [], None
    fenced = _fenced(source, work)
    structure = _Structure(source, fenced, work)
    finding = structure.run()
    blocks = structure.blocks
    if finding is None and "<" in source:
        cost, line, html_blocks = _nesting(source)
        work.add("html", cost, line)
        work.add("size", html_blocks * _PER_HTML_BLOCK, 1)
        work.add("tags", *_tag_scan(source))
        blocks += html_blocks  # each a block of its own
    work.add("size", blocks ** 2 * _BLOCKS_SQUARED, 1)
    if finding is None and "[^" in source:
        work.add("footnotes", *_footnote_work(source))
    return work, fenced, finding


def _fenced(source: str, work: _Work) -> list[tuple[int, int]]:
    """Fenced code blocks as (start, end) offsets. As in Python-Markdown, a fence opens a block
    only if a line of exactly the same fence closes it; its search reads on from each fence."""
    fences = list(_FENCE_LINE.finditer(source)) if "```" in source or "~~~" in source else []
    if not fences:
        return []
    work.add("size", len(fences) * len(source) * _FENCE, source.count("\n", 0, fences[0].start()) + 1)
    closings: dict[str, list[int]] = {}
    for m in fences:
        end = source.find("\n", m.end())
        if not source[m.end(): len(source) if end < 0 else end].strip(" "):
            closings.setdefault(m[1], []).append(m.start())
    blocks, after = [], -1
    for m in fences:
        if m.start() <= after:
            continue
        ends = closings.get(m[1], [])
        i = bisect_right(ends, m.start())
        if i < len(ends):
            end = source.find("\n", ends[i])
            after = len(source) if end < 0 else end
            blocks.append((m.start(), after))
    return blocks


class _Structure:
    """Lines → blocks (runs of non-blank lines) and units (runs of inline text, about a
    paragraph, a list item or a table row: what Python-Markdown's inline patterns are run on)."""

    def __init__(self, source: str, fenced: list, work: _Work):
        self.source, self.fenced, self.work = source, fenced, work
        self.abbreviations = len(re.findall(r"^[ ]{0,3}\*\[", source, re.MULTILINE)) if "*[" in source else 0
        self.blocks = 0

    def run(self) -> Finding | None:
        work, fenced = self.work, self.fenced
        block: list[str] = []
        unit: list[str] = []
        block_line = unit_line = 1
        splitters = abbreviations = definitions = blocks = items = 0
        fence, offset = 0, 0
        for number, line in enumerate(self.source.split("\n"), 1):
            if line[:1] not in _MARKDOWN_FIRST and not fenced:  # most lines: text going on
                if not block:
                    block_line, unit_line, blocks = number, number, blocks + 1
                block.append(line)
                unit.append(line)
                continue
            if fenced:
                start, offset = offset, offset + len(line) + 1
                while fence < len(fenced) and fenced[fence][1] < start:
                    fence += 1
                if fence < len(fenced) and fenced[fence][0] <= start:
                    line = ""  # code: no inline patterns, no structure
            if line[:1] in (" ", "\t", ">"):
                m = _PREFIX.match(line)
                quotes, indent, rest = m[1].count(">"), len(m[2].expandtabs(4)), line[m.end():]
            else:
                quotes, indent, rest = 0, 0, line
            first = rest[:1]
            item = first != "" and first in "-*+0123456789" and _LIST_ITEM.match(rest) is not None
            depth = quotes + (indent // 4 + len(_MARKER.findall(_MARKERS.match(rest)[0])) if item else 0)
            if depth > MAX_DEPTH:
                return Finding(number, 1, "W210", f"列表或引用嵌套了 {depth} 层（最多 {MAX_DEPTH} 层），正文已按纯文本显示",
                               "减少缩进：列表每深一层缩进 4 个空格，一般不超过三四层；行首的每个「>」也算一层。")
            if depth:
                work.add("size", depth * _PER_LINE, number)
            if not rest or rest.isspace():
                if block:
                    self.close_block(block, block_line, splitters, abbreviations)
                    self.close_unit(unit, unit_line)
                    block, unit, splitters, abbreviations, definitions = [], [], 0, 0, 0
                continue
            if not block:
                block_line, unit_line, blocks = number, number, blocks + 1
            elif item or (first in "#[:|<" and _NEW_UNIT.match(rest)):
                self.close_unit(unit, unit_line)
                unit, unit_line = [], number
            items += item or first == "|"
            splitters += first in "#-*_=" and _SPLITTER.match(rest) is not None
            abbreviations += rest.startswith("*[")
            if first == ":" and rest[1:2] in (" ", "\t"):
                definitions += 1
                if definitions > MAX_DEFINITIONS:
                    return Finding(number, 1, "W210", f"一段里连着写了 {definitions} 条「: 」开头的释义（最多 {MAX_DEFINITIONS} 条），"
                                   "正文已按纯文本显示", "在每组「词语」和「: 释义」之间空一行。")
            block.append(rest)
            unit.append(rest)
        if block:
            self.close_block(block, block_line, splitters, abbreviations)
            self.close_unit(unit, unit_line)
        work.add("size", items * _PER_ITEM + blocks * _PER_BLOCK, 1)
        self.blocks = blocks
        if self.abbreviations:
            work.add("abbreviations", self.abbreviations * work.chars * _ABBREVIATION, 1, self.abbreviations)
        return None

    def close_block(self, block: list[str], line: int, splitters: int, abbreviations: int) -> None:
        if splitters + abbreviations > 1:
            chars = sum(map(len, block))
            self.work.add("headings", splitters * (len(block) * _SPLIT_LINE + chars * _SPLIT_CHAR), line, splitters)
            self.work.add("abbreviations", abbreviations * chars * _SPLIT_ABBREVIATION, line, abbreviations)

    def close_unit(self, unit: list[str], line: int) -> None:
        text = "\n".join(unit)
        marks = text.count("\\") + text.count("[") + text.count("  \n")
        if "*" in text or "_" in text or "`" in text:
            marks += len(_RUNS.findall(text))
        if "<" in text or "&" in text:
            marks += len(_TAG_OR_ENTITY.findall(text))
        if self.abbreviations:
            marks += len(_WORDS.findall(text))
        self.work.add("symbols", marks * (len(text) * _COPY + _PER_MARK), line, marks)
        if "[" in text:
            opened, closed = _bracket_scan(text)
            self.work.add("brackets", opened * _OPEN_BRACKET + closed * _CLOSED_BRACKET, line, text.count("["))
        if "`" in text:
            self.work.add("symbols", _tick_scan(text) * _TICK, line, marks)


def _bracket_scan(text: str) -> tuple[int, int]:
    """Characters Python-Markdown reads for the `]` of each `[` and the `)` of each `](`:
    (from those never closed, to the end of the text; from those closed)."""
    stack: list[tuple[int, bool]] = []
    closed = 0
    for m in _BRACKETS.finditer(text):
        c, at = m[0], m.start()
        if c == "[" or c == "(":
            stack.append((at, c == "[" or text[at - 1: at] == "]"))
        elif stack:
            start, counted = stack.pop()
            closed += at - start if counted else 0
    return sum(len(text) - start for start, counted in stack if counted), closed


def _tick_scan(text: str) -> int:
    """Characters read from each run of backticks to the next run as long (or to the end)."""
    following: dict[int, int] = {}
    total = 0
    for m in reversed(list(_TICKS.finditer(text))):
        total += following.get(len(m[0]), len(text)) - m.start()
        following[len(m[0])] = m.start()
    return total


def _footnote_work(source: str) -> tuple[float, int, int]:
    """The footnotes extension's work on references to one footnote made again and again, the
    line of the first reference to the most referred, and how often it is."""
    counts: dict[str, list[int]] = {}
    for m in _FOOTNOTE.finditer(source):
        counts.setdefault(m[1], []).append(m.start())
    most = max(counts.values(), key=len, default=[0])
    return sum(len(c) ** 2 for c in counts.values()) * _FOOTNOTE_AGAIN, source.count("\n", 0, most[0]) + 1, len(most)


def _tag_scan(source: str) -> tuple[float, int]:
    """html.parser's work from each `<a` to the next `>` (it reads on and back again, and a run
    of them is quadratic), and the line of the `<a` that reads farthest."""
    ends = [m.start() for m in re.finditer(">", source)]
    total = farthest = farthest_at = 0
    for m in _OPENING_TAG.finditer(source):
        i = bisect_right(ends, m.start())
        read = (ends[i] if i < len(ends) else len(source)) - m.start()
        total += read
        if read > farthest:
            farthest, farthest_at = read, m.start()
    return total * _OPEN_TAG, source.count("\n", 0, farthest_at) + 1


def _nesting(html: str) -> tuple[float, int, int]:
    """html5ever's work on nested elements (it walks the open ones at each tag), the line where
    the nesting is deepest, and the number of outermost block-level elements (Python-Markdown
    makes each a block)."""
    depth = deepest = deepest_at = total = outermost = 0
    for m in _HTML_TAG.finditer(html):
        name = m[2].lower()
        if name in _VOID:
            continue
        if m[1]:
            depth = max(0, depth - 1)
        else:
            outermost += depth == 0 and name in _BLOCK_TAGS
            depth += 1
            if depth > deepest:
                deepest, deepest_at = depth, m.start()
        total += depth
    return total * _NESTED_TAG, html.count("\n", 0, deepest_at) + 1, outermost


class _CodeSpans:
    """Whether an offset is in code (a fenced block, or a `code span` of its line), where
    Python-Markdown shows a tag as text. Each line's code spans are found once, when asked."""

    def __init__(self, source: str, fenced: list):
        self.source, self.fenced, self.lines = source, fenced, {}

    def contains(self, pos: int) -> bool:
        i = bisect_right(self.fenced, (pos, len(self.source))) - 1
        if i >= 0 and pos <= self.fenced[i][1]:
            return True
        start = self.source.rfind("\n", 0, pos) + 1
        if start not in self.lines:
            self.lines[start] = self.spans(start)
        return bisect_right(self.lines[start], pos) % 2 == 1  # inside an [open, close) pair

    def spans(self, start: int) -> list[int]:
        end = self.source.find("\n", start)
        runs = list(_TICKS.finditer(self.source, start, len(self.source) if end < 0 else end))
        partner, following = [None] * len(runs), {}
        for i in range(len(runs) - 1, -1, -1):
            partner[i] = following.get(len(runs[i][0]))
            following[len(runs[i][0])] = i
        edges, i = [], 0
        while i < len(runs):
            if partner[i] is None:
                i += 1
                continue
            edges += [runs[i].start(), runs[partner[i]].end()]
            i = partner[i] + 1
        return edges


# The message for a body over the budget, by the kind of work it has most of: (code, what was
# found, what to do). {number} is the count the survey kept for the costliest line.
_TOO_MUCH = {
    "brackets": ("W211", "从这一行起的一段有 {number} 个方括号「[」，很多没有配对",
                 "删除多余的「[」；要显示方括号本身时写成「\\[」，或者把这段放进代码块（上下各加一行 ```）。"),
    "symbols": ("W211", "从这一行起的一段有 {number} 处 Markdown 标记符号（* _ ` < & [ \\ 等）",
                "这一段可能是误粘贴的内容：删除它；要原样显示这些符号，把这段放进代码块（上下各加一行 ```）。"),
    "footnotes": ("W211", "正文把同一个脚注引用了 {number} 次（第一次在这一行）",
                  "每个脚注只在一处引用；别处要提到它时，写「见注 1」这样的文字。"),
    "tags": ("W211", "这一行的「<」后面很久都没有「>」，正文里这样的「<」有很多",
             "这可能是没粘贴完整的网页代码：删除它；要显示「<」本身时写成「&lt;」。"),
    "html": ("W210", "HTML 标签嵌套太深（到这一行）", "删除从网页或 Word 粘贴进来的多层 <div> 等标签，正文改用 Markdown 书写。"),
    "headings": ("W213", "从这一行起有 {number} 个标题或分隔线连着写，中间没有空行",
                 "在每个标题（# 开头的行）和分隔线（---）的前后各空一行。"),
    "abbreviations": ("W213", "正文定义了 {number} 个缩写（*[缩写]: 全称）", "只给常用的几个缩写写定义，删除其余以「*[」开头的行。"),
}
_TOO_LONG = ("W213", "正文太长或太零碎（{lines} 行、{chars} 字）", "把名单、表格数据做成附件（附件: 文件名），正文只写说明文字。")


def _too_much(work: _Work) -> Finding:
    """The message for a body over the budget: about the kind of work it has most of."""
    kind, (_cost, line, number) = max(work.worst.items(), key=lambda item: item[1][0])
    code, found, hint = _TOO_MUCH.get(kind, _TOO_LONG)
    line = line if kind in _TOO_MUCH else 1  # the whole body: no one line to name
    message = found.format(number=number, lines=work.lines, chars=work.chars)
    return Finding(line, 1, code, f"{message}，排版要花的时间太长，正文已按纯文本显示", hint)
