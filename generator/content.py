"""content/ → Documents: a sorted walk, every field of every file checked, all problems collected."""
from __future__ import annotations

import dataclasses
import difflib
import hashlib
import os
import re
import stat
from pathlib import Path

from . import annual, markup, schema
from .carried import Carried
from .config import Config
from .errors import Report
from .frontmatter import FrontMatterMissing, FrontMatterUnclosed, split
from .frontmatter import body as frontmatter_body
from .model import Attachment, Document, altered, permalink
from .yamltree import Map, Scalar, Seq, YamlSyntaxError, scalars

MARKDOWN_SUFFIXES = (".md", ".markdown")
MAX_BYTES = 10 * 1048576  # a Markdown file this large holds pasted data, not a document
MAX_NAME_BYTES = 255  # a file or folder name, on every file system a site is built on
# The whole 索引号 in a URL. Browsers and servers take addresses of a few thousand bytes, and a
# document page's QR code holds at most 2,331 at level M, with the site's address in front.
MAX_URL_BYTES = 1000


def source_files(content_dir: Path) -> list[Path]:
    """Every Markdown file below content/, in a stable order; hidden files and folders skipped.
    Linked folders are not entered (a linked file is found, and refused if it leads outside)."""
    found = []
    top = str(content_dir)
    for folder, dirs, names in os.walk(top):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel = os.path.relpath(folder, top)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        found += [prefix + name for name in names
                  if not name.startswith(".") and os.path.splitext(name)[1].lower() in MARKDOWN_SUFFIXES]
    return [content_dir / rel for rel in sorted(found)]


def load_documents(config: Config, content_dir: Path, report: Report,
                   cache: dict | None = None, digests: dict | None = None) -> list[Document]:
    """Read every document; problems go into `report`; cross-document rules checked last.

    `cache` maps a file to what reading it gave last time (Parsed); a file whose bytes and
    attachments are unchanged is not parsed again, its warnings are reported again, and the
    dict is updated in place with this build's entries. `digests` holds the sha256 of files
    already read in this build, which then need not be read again to be found unchanged."""
    if not content_dir.is_dir():
        report.add(content_dir, 1, 1, "E100", "找不到内容目录", "创建 content/ 目录，或用 --content 指定内容目录。")
        return []
    reader = _DocumentReader(config, content_dir.resolve(), report, {} if cache is None else cache, digests or {})
    documents = [doc for path in source_files(content_dir) if (doc := reader.read(path))]
    _check_references(reader.index_numbers, documents, report)
    _check_attachments(documents, report)
    _REUSED.turn()
    if cache is not None:
        cache.clear()
        cache.update(reader.parsed)
    return documents


# The Document made from a cached Parsed under a Config, for the next build of this process
# (carried.py): the same Document objects again, whose digests are remembered.
_REUSED = Carried()


@dataclasses.dataclass(frozen=True)
class Parsed:
    """What reading one file gave, kept in the build cache (the document without config objects)."""

    digest: str  # sha256 of the file's bytes
    attachments: tuple  # (path, size, mtime_ns) of each attachment: a changed file changes the page
    document: Document  # category as its key, agencies as their names
    warnings: tuple  # (absolute path, line, col, code, message, hint)
    index_numbers: tuple


class _DocumentReader:
    def __init__(self, config: Config, content_dir: Path, report: Report, cache: dict, digests: dict):
        self.config, self.content_dir, self.report = config, content_dir, report
        self.cache, self.digests, self.parsed = cache, digests, {}
        self.categories = {c.key: c for c in config.all_categories()}
        self.agencies = {a.name: a for a in config.agencies}
        # Every readable 索引号, even of files with other errors, so uniqueness and references are
        # checked in the same build rather than in the next one.
        self.index_numbers: list[tuple[str, Path, int, int]] = []

    def read(self, path: Path) -> Document | None:
        self.path = path
        try:
            mode = os.lstat(path).st_mode
            linked = stat.S_ISLNK(mode)
            if linked:  # only a link needs resolving (a plain file resolving costs a stat per folder)
                target = path.resolve(strict=True)
                mode = os.stat(target).st_mode
            regular = stat.S_ISREG(mode)
        except (OSError, RuntimeError):  # RuntimeError: a link loop, as Python 3.11 reports it
            return self.fail(1, 1, "E131", "这个文件是损坏的链接（指向不存在的文件，或者指向自己）",
                             "删除这个链接，或者把文件本身放进 content/。")
        # Folders are walked without following links (source_files), so only a linked file can lead out.
        if linked and not target.is_relative_to(self.content_dir):
            return self.fail(1, 1, "E122", "这个文件是指向 content/ 以外的链接", "把文件本身放进 content/，不要用链接。")
        if not regular:  # a named pipe would block the build for ever; a device is no document
            return self.fail(1, 1, "E131", "这不是普通文件（可能是管道或设备文件），无法读取",
                             "删除它；文档要保存成普通的文本文件。")
        try:
            return self._read(path)
        except OSError as exc:
            return self.fail(1, 1, "E131", f"无法读取这个文件（{exc.strerror}）", "检查文件权限：运行构建的用户要能读取它。")

    def _read(self, path: Path) -> Document | None:
        key, raw = str(path), None
        self.digest = self.digests.get(key)
        hit = self.cache.get(key)
        if hit and hit.digest == self.digest and _unchanged(hit.attachments):
            return self.reuse(key, hit)  # read whole before: not too large either
        try:
            size = path.stat().st_size
        except OSError:
            size = 0  # a broken link: reading it reports the problem
        if size > MAX_BYTES:
            return self.fail(1, 1, "E126", f"文件太大（{size / 1048576:.1f} MB，上限 {MAX_BYTES // 1048576} MB）",
                             "正文里可能粘贴了图片或表格数据：把它们做成附件（附件: 文件名），正文只写文字。")
        if self.digest is None:
            raw = path.read_bytes()
            self.digest = hashlib.sha256(raw).hexdigest()
            if hit and hit.digest == self.digest and _unchanged(hit.attachments):
                return self.reuse(key, hit)
        if raw is None:
            raw = path.read_bytes()
        problems, numbers = len(self.report.problems), len(self.index_numbers)
        doc = self.parse(raw)
        new = self.report.problems[problems:]
        if doc is not None and all(p.severity != "错误" for p in new):
            self.parsed[key] = Parsed(
                self.digest, tuple((str(a.source), *_stat(a.source)) for a in doc.attachments),
                # Without its body, which is most of the cache's size: the gate's ReleasedBody reads it again
                # for the few documents a build renders.
                dataclasses.replace(doc, category=doc.category.key, agencies=tuple(a.name for a in doc.agencies),
                                    body=None),
                tuple((os.path.abspath(p.path), p.line, p.col, p.code, p.message, p.hint) for p in new),
                tuple(self.index_numbers[numbers:]))
        return doc

    def reuse(self, key: str, hit: Parsed) -> Document:
        for path, line, col, code, message, hint in hit.warnings:
            self.report.warn(path, line, col, code, message, hint)
        self.index_numbers.extend(hit.index_numbers)
        self.parsed[key] = hit
        doc = _REUSED.get(hit, self.config)
        if doc is None:
            doc = _REUSED.put(hit, (self.config,), altered(
                hit.document, category=self.categories[hit.document.category],
                agencies=tuple(self.agencies[name] for name in hit.document.agencies)))
        return doc

    def parse(self, raw: bytes) -> Document | None:
        if not raw.strip():
            return self.fail(1, 1, "E125", "文件是空的", "删除这个文件，或者按 README 的示例写上元数据和正文。")
        text = self.decode(raw)
        if text is None:
            return None
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = self.visible(text)
        if text is None:
            return None
        try:
            parsed = split(text)
        except FrontMatterMissing:
            return self.fail(1, 1, "E101", "文件开头没有元数据块",
                             "文件第一行写 ---，接着写 标题、索引号 等字段，再用一行 --- 结束，然后是正文。")
        except FrontMatterUnclosed:
            return self.fail(1, 1, "E102", "元数据块没有结束",
                             "在最后一个字段下面加一行 ---，把元数据和正文分开。")
        except YamlSyntaxError as exc:
            return self.fail(exc.line, exc.col, "E103", f"元数据格式错误：{exc.message}", exc.hint)
        if not isinstance(parsed.meta, Map):
            line = parsed.meta.line if parsed.meta else 2
            return self.fail(line, 1, "E104", "元数据应当是「字段: 值」的形式",
                             "每行写一个字段，例如「标题: 方城镇2021年政务公开实施方案」。")
        for found in markup.check(parsed.body):  # what rendering does to the body that the editor should know
            self.report.warn(self.path, parsed.body_line + found.line - 1, found.col, found.code, found.message, found.hint)
        return self.document(parsed.meta, parsed.body, parsed.body_line)

    def decode(self, raw: bytes) -> str | None:
        """UTF-8 (with or without BOM); else GB18030, read with a warning; else an error.

        Windows editors in Chinese offices often save as GBK. Refusing would cost the editor a
        round trip for a file we can read exactly: GB18030 is a superset of GBK and GB2312, and
        a file that decodes as GB18030 but not as UTF-8, and holds Chinese, is such a file.
        The file on disk is left as it is.
        """
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            text = None
        if text is not None and re.search(r"[\u4e00-\u9fff]", text):
            self.report.warn(self.path, line, 1, "W203", "文件是 GBK/GB18030 编码，已按 GB18030 读取",
                             "用编辑器把文件另存为「UTF-8」编码，其他工具才能正确读取。")
            return text
        self.fail(line, 1, "E120", f"文件不是 UTF-8 编码（第 {line} 行有无法识别的字符）",
                  "用编辑器把文件另存为「UTF-8」编码后再构建。")
        return None

    def visible(self, text: str) -> str | None:
        """The text without characters no one can see or mean (schema.INVISIBLE): in the
        metadata they are an error, at their place; in the body they are removed, with a warning."""
        found = schema.INVISIBLE.search(text)
        if found is None:
            return text
        try:
            body_start = len(text) - len(frontmatter_body(text))
        except (FrontMatterMissing, FrontMatterUnclosed):
            body_start = len(text)  # reported as such by split()
        line = text.count("\n", 0, found.start()) + 1
        col = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        if found.start() < body_start:
            return self.fail(line, col, "E129", f"元数据中有看不见的控制字符 {schema.describe(found[0])}",
                             "这类字符常从 Word 或网页粘贴而来：删除这一行的这个位置，或者把这一行重新输入一遍。")
        self.report.warn(self.path, line, col, "W214", f"正文中有看不见的控制字符 {schema.describe(found[0])}，已经删除",
                         "这类字符常从 Word 或网页粘贴而来：用编辑器删除它，或者把这段文字粘贴为纯文本。")
        return text[:body_start] + schema.INVISIBLE.sub("", text[body_start:])

    def fail(self, line: int, col: int, code: str, message: str, hint: str) -> None:
        self.report.add(self.path, line, col, code, message, hint)
        return None

    def document(self, meta: Map, body: str, body_line: int) -> Document | None:
        nodes: dict[str, tuple[Scalar, object]] = {}
        for key, value in meta.items:
            field = schema.BY_KEY.get(key.value.strip())
            if field is None:
                names = [f.zh for f in schema.FIELDS] + [f.key for f in schema.FIELDS]
                close = difflib.get_close_matches(key.value, names, n=1, cutoff=0.5)
                hint = f"是不是想写「{close[0]}」？" if close else "可用的字段见 README「文档字段」一节。"
                self.fail(key.line, key.col, "E105", f"未知的字段「{key.value}」", hint)
            elif field.key in nodes:
                first = nodes[field.key][0]
                self.fail(key.line, key.col, "E107", f"字段「{field.zh}」写了两次（第 {first.line} 行已经写过「{first.value}」）",
                          "删除其中一个。中文键和英文键是同一个字段，只写一个。")
            else:
                nodes[field.key] = (key, value)
        values, ok = {}, True
        for field in schema.FIELDS:
            if field.key not in nodes:
                if field.required:
                    self.fail(meta.line - 1, 1, "E106", f"缺少必填字段「{field.zh}」",
                              f"在元数据中加一行「{field.zh}: …」（{field.doc}）。")
                    ok = False
                continue
            key, node = nodes[field.key]
            value = self.convert(field, key, node)
            if value is _INVALID:
                ok = False
            elif value is not None:
                values[field.name] = value
        if not ok:
            return None
        return Document(source=self.path, body=body, body_line=body_line, digest=self.digest,
                        lines={k: v[0].line for k, v in nodes.items()}, **values)

    def convert(self, field: schema.Field, key: Scalar, node):
        """One field's node → its value, None when blank and optional, or _INVALID after reporting."""
        for scalar in scalars(node):  # "\v" and "\x00" written as YAML escapes
            found = schema.INVISIBLE.search(scalar.value)
            if found:
                return self.invalid(scalar, "E129", f"「{field.zh}」中有看不见的控制字符 {schema.describe(found[0])}",
                                    "删除这个字符（在引号里写成 \\ 开头的转义也不行）。")
        if field.kind == "annual":
            try:
                return annual.parse(node)
            except annual.Invalid as exc:
                return self.invalid(exc.node, "E124", exc.message, exc.hint)
        if field.kind in ("list", "files", "agencies") and isinstance(node, Seq):
            items = [n for n in node.items if isinstance(n, Scalar)]
            if len(items) != len(node.items):
                return self.invalid(node, "E118", f"「{field.zh}」的每一项都应当是一段文字", "每项一行，以「- 」开头。")
            texts = [(n.value.strip(), n) for n in items if n.value.strip()]
        elif isinstance(node, Scalar):
            text = node.value.strip()
            if not text:
                if field.required:
                    return self.invalid(node if node.line > key.line else key, "E121", f"必填字段「{field.zh}」是空的",
                                        f"在「{key.value}:」后面填写{field.doc}。")
                return None
            texts = [(part, node) for part in schema.split_list(text)] if field.kind in ("list", "agencies") else [(text, node)]
        else:
            shape = "一段文字" if field.kind not in ("list", "files", "agencies") else "一段文字或一个列表"
            return self.invalid(node, "E118", f"「{field.zh}」应当是{shape}", f"写成「{field.zh}: 值」。")
        return getattr(self, "as_" + field.kind)(field, texts)

    def invalid(self, node, code: str, message: str, hint: str):
        self.fail(node.line, node.col, code, message, hint)
        return _INVALID

    def as_text(self, field, texts):
        return texts[0][0]

    def as_ref(self, field, texts):
        return schema.index_key(texts[0][0])

    def as_index_no(self, field, texts):
        written, node = texts[0]
        text = schema.index_key(written)  # one rule for 索引号 and every reference to one
        if any(c.isspace() for c in text):
            return self.invalid(node, "E123", f"索引号「{written}」中间有空格", "删除索引号中的空格。")
        url = permalink(text)  # ASCII: a character is a byte
        longest = max(len(part) for part in url.split("/"))
        if longest > MAX_NAME_BYTES:
            return self.invalid(node, "E130", f"索引号「{written[:60]}…」太长，做不成网址（其中一段编码后有 {longest} 字节，上限 {MAX_NAME_BYTES}）",
                                "索引号用 / 分段，每段写短一些：索引号一般是「机构代码/年份-序号」。")
        if len(url) > MAX_URL_BYTES:
            return self.invalid(node, "E130", f"索引号「{written[:60]}…」太长，做不成网址（编码后共 {len(url)} 字节，上限 {MAX_URL_BYTES}）",
                                "索引号一般是「机构代码/年份-序号」，写短一些。")
        self.index_numbers.append((text, self.path, node.line, node.col))
        return text

    def as_list(self, field, texts):
        return tuple(t for t, _ in texts)

    def as_date(self, field, texts):
        text, node = texts[0]
        date = schema.parse_date(text)
        if date is None:
            return self.invalid(node, "E108", f"「{field.zh}」的值「{text}」不是有效的日期",
                                "写成 2021-07-24、2021/7/24 或 2021年7月24日。")
        return date

    def as_mode(self, field, texts):
        text, node = texts[0]
        if text not in schema.MODES:
            return self.invalid(node, "E111", f"公开方式「{text}」不正确", "只能是：" + "、".join(schema.MODES) + "。")
        return text

    def as_validity(self, field, texts):
        text, node = texts[0]
        if text not in schema.VALIDITIES:
            return self.invalid(node, "E112", f"有效性「{text}」不正确", "只能是：" + "、".join(schema.VALIDITIES) + "。")
        return text

    def as_category(self, field, texts):
        text, node = texts[0]
        key = "/".join(part.strip() for part in schema.normalize(text).strip("/").split("/"))
        if key in self.categories:
            return self.categories[key]
        leaf = key.rsplit("/", 1)[-1]
        same_leaf = [k for k in self.categories if k.rsplit("/", 1)[-1] == leaf]
        close = same_leaf or difflib.get_close_matches(key, list(self.categories), n=1, cutoff=0.6)
        hint = f"是不是「{close[0]}」？" if len(close) == 1 else "公开目录写完整路径，从第一级写起，用 / 分隔；可用的目录见 config.yml 的 categories。"
        return self.invalid(node, "E109", f"公开目录「{text}」在 config.yml 中不存在", hint)

    def as_agencies(self, field, texts):
        agencies, bad = [], False
        for text, node in texts:
            if text in self.agencies:
                if self.agencies[text] not in agencies:
                    agencies.append(self.agencies[text])
                continue
            close = difflib.get_close_matches(text, list(self.agencies), n=1, cutoff=0.6)
            hint = f"是不是「{close[0]}」？" if close else "在 config.yml 的 agencies 中先声明这个机构，或改用已声明的机构名称。"
            self.invalid(node, "E110", f"发布机构「{text}」没有在 config.yml 中声明", hint)
            bad = True
        return _INVALID if bad else tuple(agencies)

    def as_files(self, field, texts):
        found, bad = [], False
        for text, node in texts:
            try:
                target = (self.path.parent / text).resolve()
            except (OSError, RuntimeError):  # a link loop
                target = Path(os.path.abspath(self.path.parent / text))
            try:
                regular = stat.S_ISREG(os.stat(target).st_mode)
            except OSError:  # missing, or a name too long for the file system
                regular = False
            if not downloadable(target, self.content_dir):
                self.invalid(node, "E127", f"「{text}」不能作为附件：它是文档的源文件或隐藏文件",
                             "附件是要下载的文件（PDF、Word、表格等）；要引用另一篇文档，在正文中写它的链接。")
                bad = True
            elif not target.is_relative_to(self.content_dir):
                self.invalid(node, "E115", f"附件「{text}」不在 content/ 目录内", "把附件文件放进 content/，写相对于本文档的路径。")
                bad = True
            elif not regular:
                self.invalid(node, "E114", f"找不到附件「{text[:80]}」", "检查文件名和路径（相对于本文档所在目录），文件要放在 content/ 内。")
                bad = True
            else:
                found.append(Attachment(target, target.relative_to(self.content_dir).as_posix(), target.stat().st_size))
        return _INVALID if bad else tuple(found)


_INVALID = object()


def read_body(source: Path) -> str:
    """The body of a source file this build found unchanged, as `parse` read it (only the
    disclosure gate asks, for a document it publishes in full)."""
    raw = Path(source).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")  # as decode() read it, with a warning, when it was parsed
    body = frontmatter_body(text.replace("\r\n", "\n").replace("\r", "\n"))
    return schema.INVISIBLE.sub("", body)  # as visible() left it, with a warning


def _stat(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns


def _unchanged(attachments: tuple) -> bool:
    try:
        return all(_stat(Path(path)) == (size, mtime) for path, size, mtime in attachments)
    except OSError:
        return False


def downloadable(target: Path, content_dir: Path) -> bool:
    """Whether a file under content/ may be offered for download (an attachment, the guide's
    form): never a source file, which is a document with its own 公开方式, nor a hidden one."""
    inside = target.relative_to(content_dir).parts if target.is_relative_to(content_dir) else ()
    return target.suffix.lower() not in MARKDOWN_SUFFIXES and not any(part.startswith(".") for part in inside)


def private_files(documents: list[Document]) -> dict[Path, Document]:
    """Attachments of documents not published in full → the first such document."""
    found: dict[Path, Document] = {}
    for doc in documents:
        if doc.mode != schema.MODES[0]:
            for attachment in doc.attachments:
                found.setdefault(attachment.source, doc)
    return found


def _check_attachments(documents: list[Document], report: Report) -> None:
    """A file that a withheld or on-request document lists is not published through another."""
    private = private_files(documents)
    for doc in documents:
        for attachment in doc.attachments if doc.mode == schema.MODES[0] else ():
            other = private.get(attachment.source)
            if other is not None:
                report.add(doc.source, doc.lines.get("attachments", 1), 1, "E128",
                           f"附件「{attachment.rel}」也是 {report.display(other.source)} 的附件，而那篇文件{other.mode}",
                           "公开的文件和不公开的文件不能共用附件：确认这个附件可以公开后，给公开的文件另存一份。")


def _check_references(index_numbers: list[tuple[str, Path, int, int]], documents: list[Document],
                      report: Report) -> None:
    """Rules across files: unique 索引号, and 解读对象 / 替代文件 naming a real document."""
    seen: dict[str, tuple[Path, int]] = {}
    for index_no, path, line, col in index_numbers:
        first = seen.setdefault(index_no, (path, line))
        if first != (path, line):
            report.add(path, line, col, "E113", f"索引号「{index_no}」与 {report.display(first[0])}:{first[1]} 重复",
                       "每个文档的索引号必须唯一：改用下一个未使用的序号。")
    for doc in documents:
        for key, code, label in (("interprets", "E116", "解读对象"), ("superseded_by", "E117", "替代文件")):
            target = getattr(doc, key)
            if target is not None and target not in seen:
                report.add(doc.source, doc.lines[key], 1, code, f"{label}「{target}」不是本站任何文档的索引号",
                           "填写被引用文档的索引号，和它的元数据中写的完全一致。")
            elif target == doc.index_no:
                report.add(doc.source, doc.lines[key], 1, code, f"{label}不能是本文档自己", "填写另一个文档的索引号。")
