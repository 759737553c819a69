"""`gongkai import`: an old CMS export (CSV or JSONL) → one Markdown file per document in content/.

A mapping file says which source column feeds which field, which values are constant, and where
the body is (HTML, cleaned with nh3 and turned into Markdown by markdownify, or plain text).
Rows that cannot make a valid document are listed with the reason, not written.
"""
from __future__ import annotations

import csv
import html
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import markdownify

from . import markup, schema
from .config import Config
from .model import permalink
from .new import NewFailed, quoted, target, why, write_atomic
from .yamltree import Map, Scalar, YamlSyntaxError, load

MAX_CELL = 128 * 1024  # bytes; a larger cell is pasted data, not a document (the csv module's own limit)


@dataclass
class Outcome:
    written: list[Path] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)  # (row number, reason)
    held: list[tuple[int, str]] = field(default_factory=list)  # (row number, why it was imported more strictly)


class ImportFailed(Exception):
    """The import cannot start: the mapping or the export file is unusable; the message says why."""


class MappingError(ImportFailed):
    """The mapping file itself is unusable."""


class _Refused(Exception):
    """This row cannot make a document; the message is the reason listed for it."""


def read_source(source: Path) -> str:
    try:
        raw = source.read_bytes()
    except FileNotFoundError:
        raise ImportFailed(f"找不到导出文件 {source}") from None
    except OSError as exc:
        raise ImportFailed(f"无法读取导出文件 {source}（{why(exc)}）") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportFailed(f"导出文件 {source} 不是 UTF-8 编码（第 {line} 行有无法识别的字符），"
                           "用编辑器另存为 UTF-8 后再导入") from None


def rows(source: Path) -> list[tuple[int, dict | str]]:
    """(line number, record) for each record: JSONL one object a line, CSV with a header row.
    A record that cannot be read is the reason instead, so the row is listed and the rest go on."""
    text = read_source(source)
    if source.suffix.lower() == ".jsonl":
        # Split on \n only: str.splitlines() would also break inside a string at U+2028 or NEL, which JSON allows.
        return [(number, _json_record(line)) for number, line in enumerate(text.split("\n"), 1) if line.strip()]
    # A reader over the whole text, not its lines: an HTML body in a CSV cell may hold line breaks.
    # The csv module stops the whole file at a cell over its limit; here every cell is read whole
    # and a large one refuses its own row.
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text) + 1))
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        found, start = [], 2  # the line a record begins on, after the header
        for record in reader:
            found.append((start, _csv_record(record)))
            start = reader.line_num + 1
    finally:
        csv.field_size_limit(limit)
    return found


def _json_record(line: str) -> dict | str:
    try:
        record = json.loads(line)
    except RecursionError:
        return "这一行的 JSON 嵌套太深"
    except ValueError as exc:  # JSONDecodeError, and integers of more than 4300 digits
        return f"这一行不是有效的 JSON（第 {getattr(exc, 'colno', 1)} 个字符附近）"
    if not isinstance(record, dict):
        return f"这一行应当是一个 JSON 对象（{{…}}），这里是{_JSON_KINDS.get(type(record), '其他值')}"
    for key, value in record.items():
        # "\ud800" escapes decode to lone surrogates, which no file can be written in.
        if _SURROGATE.search(key):
            return "有一列的名称中有无效的字符（JSON 里单独的 \\ud800 这类转义）"
        if isinstance(value, str) and (bad := _SURROGATE.search(value)):
            return f"「{key}」列中有无效的字符（JSON 里单独的 \\u{ord(bad[0]):04x} 转义）"
    return record


def _csv_record(record: dict) -> dict | str:
    extra = [cell for cell in record.pop(None, None) or [] if cell.strip()]
    if extra:
        return f"这一行比表头多出 {len(extra)} 格（值里的逗号是不是没有加英文双引号？）"
    for column, cell in record.items():
        size = len(cell.encode("utf-8")) if cell else 0
        if size > MAX_CELL:
            return f"「{column}」列超过 128 KiB（{size // 1024} KiB），不像一篇文档：请检查这一格"
    return record


_SURROGATE = re.compile("[\ud800-\udfff]")
_JSON_KINDS = {list: "数组", str: "一段文字", int: "数字", float: "数字", bool: "true 或 false", type(None): "null"}
_MAPPING_KEYS = ("fields", "defaults", "body", "body_format", "scraped_table")
_BOOLEANS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


def load_mapping(path: Path) -> dict:
    """The mapping file, read as strings (YAML 1.1 would turn 0123 into 83) and checked:
    {fields: {field: column}, defaults: {field: value}, body, body_format, scraped_table}."""
    try:
        tree = load(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise MappingError(f"找不到映射文件 {path}") from None
    except UnicodeDecodeError:
        raise MappingError(f"映射文件 {path} 不是 UTF-8 编码，用编辑器另存为 UTF-8 后再导入") from None
    except OSError as exc:
        raise MappingError(f"无法读取映射文件 {path}（{why(exc)}）") from None
    except YamlSyntaxError as exc:
        raise MappingError(f"映射文件 {path} 第 {exc.line} 行：{exc.message}。{exc.hint}") from None
    top = _pairs(tree, "映射文件应当是「键: 值」的形式（fields、defaults、body、body_format、scraped_table）")
    unknown = set(top) - set(_MAPPING_KEYS)
    if unknown:
        raise MappingError(f"映射文件中有未知的键：{'、'.join(sorted(unknown))}"
                           "（可用：fields、defaults、body、body_format、scraped_table）")
    mapping = {"fields": _pairs(top.get("fields"), "映射文件的 fields 应当写成「字段: 列名」，每个字段一行"),
               "defaults": _pairs(top.get("defaults"), "映射文件的 defaults 应当写成「字段: 固定值」，每个字段一行")}
    for part, what in (("fields", "一个列名"), ("defaults", "一段文字")):
        for key, node in mapping[part].items():
            if key not in schema.BY_KEY:
                raise MappingError(f"映射文件中的字段「{key}」不是文档字段")
            if not isinstance(node, Scalar):
                raise MappingError(f"映射文件中 {part} 的「{key}」应当是{what}")
            mapping[part][key] = node.value.strip()
            if part == "fields" and not mapping[part][key]:
                raise MappingError(f"映射文件中 fields 的「{key}」没有写列名")
    mode = next((v for k, v in mapping["defaults"].items() if schema.BY_KEY[k].zh == "公开方式"), None)
    if mode is not None and mode not in schema.MODES:
        raise MappingError(f"映射文件中 defaults 的公开方式「{mode}」不正确，只能是：" + "、".join(schema.MODES))
    for key in ("body", "body_format", "scraped_table"):
        node = top.get(key)
        if node is not None and not isinstance(node, Scalar):
            raise MappingError(f"映射文件的 {key} 应当是一段文字")
        if node is not None and node.value.strip():
            mapping[key] = node.value.strip()
    if mapping.get("body_format", "html") not in ("html", "text"):
        raise MappingError("body_format 只能是 html 或 text")
    if mapping.get("scraped_table", "false").lower() not in _BOOLEANS:
        raise MappingError("scraped_table 只能是 true 或 false")
    mapping["scraped_table"] = _BOOLEANS[mapping.get("scraped_table", "false").lower()]
    return mapping


def _pairs(node, message: str) -> dict:
    """A YAML mapping as {key: node}; an empty value as an empty mapping."""
    if node is None or (isinstance(node, Scalar) and not node.value.strip()):
        return {}
    if not isinstance(node, Map):
        raise MappingError(message)
    return {key.value.strip(): value for key, value in node.items}


def printable(text: str) -> str:
    """A message for the terminal: control characters from the export shown as escapes, never sent as they are."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f]", lambda m: f"\\x{ord(m[0]):02x}", text)


# Labels of the metadata table scraped pages carry at the top of their text
# (「索引号 | 1560037521/dsjj/2021-0000065 | 公开目录 | 规划计划 |」, or label and value split by spaces).
_LABELS = {"索引号": "索引号", "公开目录": "公开目录", "发布机构": "发布机构", "发布日期": "发布日期",
           "公开方式": "公开方式", "文号": "文号", "标题": "标题", "成文日期": "成文日期"}
_LABEL = re.compile(r"(索引号|公开目录|发布机构|发布日期|成文日期|公开方式|文号|标\s*题)")


def scraped_table(text: str) -> tuple[dict[str, list[str]], str]:
    """Metadata read from a scraped table at the top of a page's text (every value of each label,
    in order), and the text without it."""
    found: dict[str, list[str]] = {}
    kept = []
    for number, line in enumerate(text.splitlines()):
        flat = re.sub(r"[\u00a0\u3000\t]", " ", line).strip()
        if number < 20 and _LABEL.match(flat):
            parts = _LABEL.split(flat)
            for label, value in zip(parts[1::2], parts[2::2]):
                value = value.strip(" |:：")
                key = _LABELS[re.sub(r"\s", "", label)]
                if value and value not in found.setdefault(key, []):
                    found[key].append(value)
            continue
        kept.append(line)
    return found, "\n".join(kept)


def body_markdown(value: str, kind: str) -> str:
    if not value or not value.strip():
        return ""
    if kind == "text":
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", value) if p.strip()]
        value = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    cleaned = markup.sanitize(value)
    text = markdownify.markdownify(cleaned, heading_style="ATX", strip=["span", "div", "tbody", "table"]
                                   if "<tr" not in cleaned else ["span", "div"])
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def import_rows(config: Config, source: Path, mapping: dict, content_dir: Path) -> Outcome:
    """One document per usable row; every other row listed with its line and reason.
    Nothing is written outside content/, and each file is written whole or not at all."""
    records = rows(source)  # read first: a missing or non-UTF-8 export stops before anything is written
    outcome, convert = Outcome(), _Converter(config, mapping)
    seen = {p.stem for p in content_dir.rglob("*.md")} if content_dir.is_dir() else set()
    for number, record in records:
        try:
            if isinstance(record, str):
                raise _Refused(record)
            doc = convert(record)
            name = permalink(doc.meta["索引号"]).replace("/", "-")
            if name in seen:
                raise _Refused(f"索引号「{doc.meta['索引号']}」重复")
            path = target(content_dir, doc.meta["公开目录"], name)
            front = "\n".join(f"{key}: {quoted(value)}" for key, value in doc.meta.items())
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, f"---\n{front}\n---\n\n{doc.body}")
        except (_Refused, NewFailed) as refused:
            outcome.refused.append((number, str(refused)))
            continue
        except OSError as exc:  # a file where the category's folder should be, a full disk
            outcome.refused.append((number, f"无法写入 {exc.filename or path}（{why(exc)}）"))
            continue
        seen.add(name)
        outcome.written.append(path)
        if doc.note:
            outcome.held.append((number, doc.note))
    return outcome


@dataclass(frozen=True)
class _Document:
    meta: dict  # Chinese key → text, in the schema's order
    body: str  # Markdown
    note: str | None  # why 公开方式 is stricter than some source said


class _Converter:
    """A record → a _Document; _Refused when it cannot make a valid one. Each field is taken from the
    mapping's defaults, then the scraped table, then the mapped column, the later winning, except
    公开方式: there the strictest of all wins, so no source can publish what another withholds."""

    def __init__(self, config: Config, mapping: dict):
        self.categories = {c.key for c in config.all_categories()}
        self.agencies = {a.name for a in config.agencies}
        self.leaves: dict[str, str | None] = {}
        for c in config.all_categories():  # a leaf name that is not unique names nothing
            self.leaves[c.name] = c.key if c.name not in self.leaves else None
        self.fields, self.defaults = mapping.get("fields", {}), mapping.get("defaults", {})
        self.body, self.kind = mapping.get("body", ""), mapping.get("body_format", "html")
        self.scraped = mapping.get("scraped_table", False)

    def __call__(self, record: dict) -> _Document:
        meta, modes = {}, []  # modes: (where, how it says it, value) from every source that gives one
        for key, value in self.defaults.items():
            zh = schema.BY_KEY[key].zh
            if value := str(value).strip():
                meta[zh] = value
                if zh == "公开方式":  # each one: the mapping may name the field twice (公开方式 and mode)
                    modes.append(("映射默认值", "为", value))
        body_source = _cell(record, self.body)
        if self.scraped:
            plain = _lines(body_source) if self.kind == "html" else body_source
            table, rest = scraped_table(plain)
            default_category = meta.get("公开目录", "")
            meta.update({key: values[0] for key, values in table.items()})  # the first, as the page shows it
            if "公开目录" in table and meta["公开目录"] not in self.categories:
                meta["公开目录"] = self.leaves.get(meta["公开目录"]) or default_category
            modes += [("正文表格", "写的是", value) for value in table.get("公开方式", [])]  # every one
            if self.kind == "text":
                body_source = rest
        for key, column in self.fields.items():
            if value := _cell(record, column):
                zh = schema.BY_KEY[key].zh
                meta[zh] = value
                if zh == "公开方式":
                    modes.append((f"「{column}」列", "写的是", value))
        note = None
        if modes:
            meta["公开方式"], note = _strictest(modes)
        reason = _refusal(meta, self.categories, self.agencies)
        if reason:
            raise _Refused(reason)
        for key in ("发布日期", "成文日期", "有效期至", "失效日期"):
            if key in meta:
                date = schema.parse_date(_date_part(meta[key]))
                if date:
                    meta[key] = date.isoformat()
                else:  # an optional date that cannot be read is dropped; 发布日期 was checked above
                    del meta[key]
        return _Document({f.zh: meta[f.zh] for f in schema.FIELDS if f.zh in meta},
                         body_markdown(body_source, self.kind), note)


def _cell(record: dict, column: str) -> str:
    """The text in a column, trimmed; "" when absent. A number is text; a list or object refuses the row."""
    value = record.get(column)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _Refused(f"「{column}」列应当是一段文字，这里是{_JSON_KINDS.get(type(value), '对象')}")
    # Control characters an old CMS kept (schema.INVISIBLE) would stop the build (E129): not imported.
    return _CONTROLS.sub("", str(value)).strip()


_CONTROLS = re.compile(schema.INVISIBLE.pattern.replace("\ud800-\udfff", ""))  # lone surrogates refuse the row


def _strictest(modes: list[tuple[str, str, str]]) -> tuple[str, str | None]:
    """The strictest 公开方式 the sources give (不予公开 > 依申请公开 > 主动公开), and a note naming
    them when one said a laxer one. A value that is no 公开方式 refuses the row: it may mean a stricter one."""
    for where, _, value in modes:
        if value not in schema.MODES:
            raise _Refused(f"{where}的公开方式「{value}」不正确，只能是：" + "、".join(schema.MODES))
    mode = max((value for _, _, value in modes), key=schema.MODES.index)
    if all(value == mode for _, _, value in modes):
        return mode, None
    said = "，".join(f"{where}{how}{value}" for where, how, value in modes)
    return mode, f"公开方式按更严格的「{mode}」导入（{said}）"


def _lines(html_text: str) -> str:
    """An HTML body as text, one line per paragraph, table row or line break."""
    broken = re.sub(r"(?i)</(p|div|li|tr|h[1-6])>|<br\s*/?>", "\n", markup.sanitize(html_text))
    return markup.text(broken)


def _date_part(value: str) -> str:
    """Scraped dates carry times and spaces: 2024-01-15 17:29:00 → 2024-01-15."""
    return re.split(r"[T\s]+", value.strip())[0]


def _refusal(meta: dict, categories: set, agencies: set) -> str | None:
    for f in schema.FIELDS:
        if f.required and not meta.get(f.zh, "").strip():
            return f"缺少{f.zh}"
    if schema.parse_date(_date_part(meta["发布日期"])) is None:
        return f"发布日期「{meta['发布日期']}」无法识别"
    if meta["公开目录"] not in categories:
        return f"公开目录「{meta['公开目录']}」不在 config.yml 中"
    unknown = [name for name in schema.split_list(meta["发布机构"]) if name not in agencies]
    if unknown:
        return f"发布机构「{'、'.join(unknown)}」没有在 config.yml 中声明"
    if any(c.isspace() for c in meta["索引号"]):
        return f"索引号「{meta['索引号']}」中间有空格"
    return None
