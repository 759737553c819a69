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
import yaml

from . import markup, schema
from .config import Config
from .model import permalink


@dataclass
class Outcome:
    written: list[Path] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)  # (row number, reason)


class MappingError(Exception):
    """The mapping file itself is unusable."""


def rows(source: Path):
    """(row number, dict) for each record: JSONL one object a line, CSV with a header row."""
    text = source.read_text(encoding="utf-8-sig")
    if source.suffix.lower() == ".jsonl":
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                yield number, json.loads(line)
    else:
        # A reader over the whole text, not its lines: an HTML body in a CSV cell may hold line breaks.
        reader = csv.DictReader(io.StringIO(text, newline=""))
        start = 2  # the line a record begins on, after the header
        for record in reader:
            yield start, record
            start = reader.line_num + 1


def load_mapping(path: Path) -> dict:
    mapping = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    unknown = set(mapping) - {"fields", "defaults", "body", "body_format", "scraped_table"}
    if unknown:
        raise MappingError(f"映射文件中有未知的键：{'、'.join(sorted(unknown))}"
                           "（可用：fields、defaults、body、body_format、scraped_table）")
    for key in list(mapping.get("fields", {})) + list(mapping.get("defaults", {})):
        if key not in schema.BY_KEY:
            raise MappingError(f"映射文件中的字段「{key}」不是文档字段")
    if mapping.get("body_format", "html") not in ("html", "text"):
        raise MappingError("body_format 只能是 html 或 text")
    return mapping


# Labels of the metadata table scraped pages carry at the top of their text
# (「索引号 | 1560037521/dsjj/2021-0000065 | 公开目录 | 规划计划 |」, or label and value split by spaces).
_LABELS = {"索引号": "索引号", "公开目录": "公开目录", "发布机构": "发布机构", "发布日期": "发布日期",
           "公开方式": "公开方式", "文号": "文号", "标题": "标题", "成文日期": "成文日期"}
_LABEL = re.compile(r"(索引号|公开目录|发布机构|发布日期|成文日期|公开方式|文号|标\s*题)")


def scraped_table(text: str) -> tuple[dict, str]:
    """Metadata read from a scraped table at the top of a page's text, and the text without it."""
    found: dict[str, str] = {}
    kept = []
    for number, line in enumerate(text.splitlines()):
        flat = re.sub(r"[\u00a0\u3000\t]", " ", line).strip()
        if number < 20 and _LABEL.match(flat):
            parts = _LABEL.split(flat)
            for label, value in zip(parts[1::2], parts[2::2]):
                value = value.strip(" |:：")
                key = _LABELS[re.sub(r"\s", "", label)]
                if value and key not in found:
                    found[key] = value
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
    outcome = Outcome()
    categories = {c.key for c in config.all_categories()}
    agencies = {a.name for a in config.agencies}
    seen = {p.stem for p in content_dir.rglob("*.md")} if content_dir.is_dir() else set()
    fields, defaults = mapping.get("fields", {}), mapping.get("defaults", {})
    leaves = {}
    for c in config.all_categories():
        leaves[c.name] = c.key if c.name not in leaves else None  # a leaf name that is not unique names nothing
    for number, record in rows(source):
        meta = {}
        for key, value in defaults.items():
            meta[schema.BY_KEY[key].zh] = str(value)
        body_source = str(record.get(mapping.get("body", ""), "") or "")
        if mapping.get("scraped_table"):
            plain = _lines(body_source) if mapping.get("body_format", "html") == "html" else body_source
            table, rest = scraped_table(plain)
            if table.get("公开目录") and table["公开目录"] not in categories:
                table["公开目录"] = leaves.get(table["公开目录"]) or meta.get("公开目录", "")
            meta.update({k: v for k, v in table.items() if v})
            if mapping.get("body_format", "html") == "text":
                body_source = rest
        for key, column in fields.items():
            value = record.get(column)
            if value not in (None, ""):
                meta[schema.BY_KEY[key].zh] = str(value).strip()
        reason = _refusal(meta, categories, agencies)
        if reason is None:
            name = permalink(meta["索引号"]).replace("/", "-")
            reason = f"索引号「{meta['索引号']}」重复" if name in seen else None
        if reason:
            outcome.refused.append((number, reason))
            continue
        for key in ("发布日期", "成文日期", "有效期至", "失效日期"):
            if key in meta:
                date = schema.parse_date(_date_part(meta[key]))
                if date:
                    meta[key] = date.isoformat()
                else:  # an optional date that cannot be read is dropped; 发布日期 was checked above
                    del meta[key]
        meta = {f.zh: meta[f.zh] for f in schema.FIELDS if f.zh in meta}  # the schema's order
        seen.add(name)
        path = content_dir / meta["公开目录"] / f"{name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        front = "\n".join(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items())
        body = body_markdown(body_source, mapping.get("body_format", "html"))
        path.write_text(f"---\n{front}\n---\n\n{body}", encoding="utf-8")
        outcome.written.append(path)
    return outcome


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
    if meta["公开方式"] not in schema.MODES:
        return f"公开方式「{meta['公开方式']}」不正确"
    if any(c.isspace() for c in meta["索引号"]):
        return f"索引号「{meta['索引号']}」中间有空格"
    return None
