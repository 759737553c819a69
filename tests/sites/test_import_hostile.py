"""`gongkai import` against hostile exports and mappings: every bad row listed with its line and
reason, the rest imported, no traceback, nothing written outside content/, no half-written file,
and 公开方式 never laxer than any source said."""
from __future__ import annotations

import builtins
import csv
import io
import json
import os
from pathlib import Path

import pytest

from gongkai.stages import check
from gongkai.cli import main
from gongkai.config import load_config
from gongkai.errors import Report
from gongkai.frontmatter import split
from gongkai.importer import import_rows, load_mapping

CONFIG = """\
name: 导入测试
base_url: https://example.gov.cn/
agencies: [{name: 测试局, slug: csj}]
categories: [{name: 工作推进, slug: gz}]
"""
MAP = """\
fields: {标题: title, 索引号: id, 发布机构: agency, 发布日期: date, 公开方式: mode}
defaults: {公开目录: 工作推进, 公开方式: 主动公开}
body: body
body_format: text
"""
MODES = "只能是：主动公开、依申请公开、不予公开"


def row(n: int, **fields) -> dict:
    return {"title": f"文件{n}", "id": f"csj/2024-{n:04d}", "agency": "测试局", "date": "2024-01-05", "body": "正文。",
            **fields}


def line(record) -> str:
    return json.dumps(record, ensure_ascii=False)


def gongkai_import(tmp_path, capsys, lines: list[str] | Path, mapping: str | bytes = MAP, config: str = CONFIG):
    """Run `gongkai import` on these JSONL lines (or this export); (exit code, stdout, stderr lines, source)."""
    source = lines if isinstance(lines, Path) else tmp_path / "export.jsonl"
    if source is not lines:
        source.write_text("".join(text + "\n" for text in lines), encoding="utf-8")
    (tmp_path / "config.yml").write_text(config, encoding="utf-8")
    (tmp_path / "map.yml").write_bytes(mapping if isinstance(mapping, bytes) else mapping.encode("utf-8"))
    code = main(["import", str(source), "--map", str(tmp_path / "map.yml"), "--config", str(tmp_path / "config.yml"),
                 "--content", str(tmp_path / "content")])
    out, err = capsys.readouterr()
    return code, out, err.splitlines(), source


def front(path) -> dict[str, str]:
    """The front matter as the build reads it: each value stripped, as content.py strips it."""
    return {key.value: value.value.strip() for key, value in split(path.read_text(encoding="utf-8")).meta.items}


def written(tmp_path) -> list[str]:
    return sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()
                  and p.name not in ("config.yml", "map.yml") and p.suffix not in (".jsonl", ".csv"))


# A. 公开方式: the strictest source wins, and the report says so.

def test_no_source_can_make_a_withheld_row_public(tmp_path, capsys):
    mapping = MAP.replace("公开方式: 主动公开}", "公开方式: 不予公开}") + "scraped_table: true\n"
    code, out, err, source = gongkai_import(tmp_path, capsys, [
        line(row(1, body="公开方式 | 主动公开\n正文。")),
        line(row(2, mode="主动公开")),
        line(row(3, mode="主动公开", body="公开方式 | 依申请公开\n正文。")),
        line(row(4, mode="不予公开")),
        line(row(5, body="公开方式 | 公开\n正文。")),
        line(row(6, mode="不公开")),
    ], mapping)
    assert code == 0 and out == "导入完成：写入 4 篇（其中 3 篇的公开方式从严），未导入 2 行。\n"
    assert err == [
        f"{source}:1: 注意：公开方式按更严格的「不予公开」导入（映射默认值为不予公开，正文表格写的是主动公开）",
        f"{source}:2: 注意：公开方式按更严格的「不予公开」导入（映射默认值为不予公开，「mode」列写的是主动公开）",
        f"{source}:3: 注意：公开方式按更严格的「不予公开」导入（映射默认值为不予公开，正文表格写的是依申请公开，「mode」列写的是主动公开）",
        f"{source}:5: 未导入：正文表格的公开方式「公开」不正确，{MODES}",
        f"{source}:6: 未导入：「mode」列的公开方式「不公开」不正确，{MODES}",
    ]
    docs = sorted((tmp_path / "content/工作推进").glob("*.md"))
    assert [front(p)["公开方式"] for p in docs] == ["不予公开"] * 4


def test_the_strictest_mode_wins_whichever_source_gives_it(tmp_path):
    (tmp_path / "config.yml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "map.yml").write_text(MAP + "scraped_table: true\n", encoding="utf-8")
    source = tmp_path / "export.jsonl"
    source.write_text("\n".join(line(r) for r in [
        row(1, body="公开方式 | 不予公开\n正文。"),  # the table is stricter than the default
        row(2, mode="主动公开", body="公开方式：依申请公开\n正文。"),  # the column may not loosen the table
        row(3, mode="依申请公开"),
    ]), encoding="utf-8")
    config = load_config(tmp_path / "config.yml", Report())
    outcome = import_rows(config, source, load_mapping(tmp_path / "map.yml"), tmp_path / "content")
    assert [front(p)["公开方式"] for p in outcome.written] == ["不予公开", "依申请公开", "依申请公开"]
    assert outcome.refused == [] and outcome.held == [
        (1, "公开方式按更严格的「不予公开」导入（映射默认值为主动公开，正文表格写的是不予公开）"),
        (2, "公开方式按更严格的「依申请公开」导入（映射默认值为主动公开，正文表格写的是依申请公开，「mode」列写的是主动公开）"),
        (3, "公开方式按更严格的「依申请公开」导入（映射默认值为主动公开，「mode」列写的是依申请公开）"),
    ]


def test_every_value_counts_when_the_mapping_or_the_table_gives_two(tmp_path, capsys):
    mapping = MAP.replace("公开方式: 主动公开}", "公开方式: 主动公开, mode: 依申请公开}") + "scraped_table: true\n"
    code, out, err, source = gongkai_import(tmp_path, capsys, [
        line(row(1)), line(row(2, body="公开方式 | 主动公开\n公开方式 | 不予公开\n正文。"))], mapping)
    assert err == [
        f"{source}:1: 注意：公开方式按更严格的「依申请公开」导入（映射默认值为主动公开，映射默认值为依申请公开）",
        f"{source}:2: 注意：公开方式按更严格的「不予公开」导入"
        "（映射默认值为主动公开，映射默认值为依申请公开，正文表格写的是主动公开，正文表格写的是不予公开）"]
    assert [front(p)["公开方式"] for p in sorted((tmp_path / "content/工作推进").glob("*.md"))] == ["依申请公开", "不予公开"]


# B. Rows, cells, mappings and files an export can hold.

def test_rows_that_are_not_objects_are_listed_and_the_rest_imported(tmp_path, capsys):
    code, out, err, source = gongkai_import(tmp_path, capsys, [
        line(row(1)), "[1, 2]", "42", '"标题"', "null", "true", '{"title": "半行', "[" * 100_000,
        '{"n": ' + "1" * 5000 + "}", line(row(10, title=["文件"])), line(row(11, body={"html": "<p>x</p>"})),
        "", line(row(13)),
    ])
    assert code == 0 and out == "导入完成：写入 2 篇，未导入 10 行。\n"
    assert err == [f"{source}:{n}: 未导入：{reason}" for n, reason in [
        (2, "这一行应当是一个 JSON 对象（{…}），这里是数组"),
        (3, "这一行应当是一个 JSON 对象（{…}），这里是数字"),
        (4, "这一行应当是一个 JSON 对象（{…}），这里是一段文字"),
        (5, "这一行应当是一个 JSON 对象（{…}），这里是null"),
        (6, "这一行应当是一个 JSON 对象（{…}），这里是true 或 false"),
        (7, "这一行不是有效的 JSON（第 11 个字符附近）"),
        (8, "这一行的 JSON 嵌套太深"),
        (9, "这一行不是有效的 JSON（第 1 个字符附近）"),
        (10, "「title」列应当是一段文字，这里是数组"),
        (11, "「body」列应当是一段文字，这里是对象"),
    ]]
    assert written(tmp_path) == ["content/工作推进/csj-2024-0001.md", "content/工作推进/csj-2024-0013.md"]


def test_a_csv_cell_over_128_kib_refuses_its_row_only(tmp_path, capsys):
    source = tmp_path / "export.csv"
    big = "甲" * 70_000  # 210,000 bytes: over the csv module's own limit, which stopped the whole file
    with source.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["title", "id", "agency", "date", "body"])
        writer.writerow(["大文件", "csj/2024-0001", "测试局", "2024-01-05", big])
        writer.writerow(["多一格", "csj/2024-0002", "测试局", "2024-01-05", "正文", "错位的一格"])
        writer.writerow(["文件", "csj/2024-0003", "测试局", "2024-01-05", "正文\n第二段"])
        writer.writerow(["最后", "csj/2024-0004", "测试局", "2024-01-05", "甲" * 40_000])  # 120,000 bytes
    code, out, err, _ = gongkai_import(tmp_path, capsys, source)
    assert code == 0 and out == "导入完成：写入 2 篇，未导入 2 行。\n"
    assert err == [f"{source}:2: 未导入：「body」列超过 128 KiB（205 KiB），不像一篇文档：请检查这一格",
                                f"{source}:3: 未导入：这一行比表头多出 1 格（值里的逗号是不是没有加英文双引号？）"]
    assert written(tmp_path) == ["content/工作推进/csj-2024-0003.md", "content/工作推进/csj-2024-0004.md"]
    assert csv.field_size_limit() == 131072  # the process-wide limit is given back


@pytest.mark.parametrize("mapping, message", [
    ("fields: {标题: title\n", "第 2 行：YAML 格式错误。对照 README 中的示例检查这一行的写法（键: 值，冒号后加空格，用空格缩进）。"),
    ("fields:\n\t标题: title\n", "第 2 行：这一行用了 Tab 键缩进。YAML 只能用空格缩进：把行首的 Tab 换成两个空格。"),
    ("- fields\n- body\n", "映射文件应当是「键: 值」的形式（fields、defaults、body、body_format、scraped_table）"),
    ("fields: [title, id]\n", "映射文件的 fields 应当写成「字段: 列名」，每个字段一行"),
    ("fields: {标题: [title]}\n", "映射文件中 fields 的「标题」应当是一个列名"),
    ("fields: {标题: , 索引号: id}\n", "映射文件中 fields 的「标题」没有写列名"),
    ("defaults: 主动公开\n", "映射文件的 defaults 应当写成「字段: 固定值」，每个字段一行"),
    ("defaults: {公开方式: 公开}\n", f"映射文件中 defaults 的公开方式「公开」不正确，{MODES}"),
    ("body: {html: body}\n", "映射文件的 body 应当是一段文字"),
    ("scraped_table: 是\n", "scraped_table 只能是 true 或 false"),
    ("body_format: markdown\n", "body_format 只能是 html 或 text"),
    ("? [a, b]\n: c\n", "第 1 行：键必须是一段文字。把这一项写成「键: 值」。"),
    ("fields: &a [*a]\n", "第 1 行：不支持 YAML 的锚点和别名（& 和 * 开头的写法）。把值直接写出来；值本身以 * 或 & 开头时，给它加上英文双引号，例如「摘要: \"*以此件为准\"」。"),
    ("defaults: {标题: \"\\ud800\"}\n", "第 1 行：这一行有无效的字符。删除 \\u 开头的转义写法，直接写出要写的字。"),
])
def test_a_broken_mapping_is_one_clean_message(tmp_path, capsys, mapping, message):
    code, out, err, _ = gongkai_import(tmp_path, capsys, [line(row(1))], mapping)
    where = f"映射文件 {tmp_path / 'map.yml'} " if message.startswith(("第", "嵌套")) else ""
    assert (code, out, err) == (2, "", [f"无法导入：{where}{message}"])
    assert written(tmp_path) == []


def test_mapping_values_stay_the_text_written(tmp_path, capsys):
    """Read as strings: 0123 stays 0123 (YAML 1.1 would make it 83), `yes` stays yes."""
    mapping = MAP.replace("defaults: {", "defaults: {文号: 0123, 主题分类: yes, ") + "scraped_table: no\n"
    code, out, err, _ = gongkai_import(tmp_path, capsys, [line(row(1))], mapping)
    assert (code, err) == (0, [])
    meta = front(tmp_path / "content/工作推进/csj-2024-0001.md")
    assert meta["文号"] == "0123" and meta["主题分类"] == "yes"


def test_unreadable_mapping_or_export_is_one_clean_message(tmp_path, capsys):
    code, out, err, _ = gongkai_import(tmp_path, capsys, [line(row(1))], "body: 正文\n".encode("gbk"))
    assert (code, out, err) == (2, "", [f"无法导入：映射文件 {tmp_path / 'map.yml'} 不是 UTF-8 编码，用编辑器另存为 UTF-8 后再导入"])
    missing, gbk = tmp_path / "missing.jsonl", tmp_path / "gbk.jsonl"
    gbk.write_bytes(('{"id": 1}\n' + line(row(2))).encode("gbk"))
    assert gongkai_import(tmp_path, capsys, missing)[:3] == (2, "", [f"无法导入：找不到导出文件 {missing}"])
    assert gongkai_import(tmp_path, capsys, gbk)[:3] == (2, "", [
        f"无法导入：导出文件 {gbk} 不是 UTF-8 编码（第 2 行有无法识别的字符），用编辑器另存为 UTF-8 后再导入"])
    assert written(tmp_path) == []


def test_lone_surrogates_refuse_their_row_and_leave_no_empty_file(tmp_path, capsys):
    code, out, err, source = gongkai_import(tmp_path, capsys, [
        line(row(1)).replace("文件1", "\\ud800文件1"),
        line(row(2)).replace("正文。", "正文\\udfff。"),
        '{"\\udc80": 1, ' + line(row(3))[1:],
        line(row(4)).replace("文件4", "文件4\\ud83d\\ude00"),  # a pair is one character, an emoji
    ])
    assert code == 0 and out == "导入完成：写入 1 篇，未导入 3 行。\n"
    assert err == [f"{source}:1: 未导入：「title」列中有无效的字符（JSON 里单独的 \\ud800 转义）",
                   f"{source}:2: 未导入：「body」列中有无效的字符（JSON 里单独的 \\udfff 转义）",
                   f"{source}:3: 未导入：有一列的名称中有无效的字符（JSON 里单独的 \\ud800 这类转义）"]
    assert written(tmp_path) == ["content/工作推进/csj-2024-0004.md"]
    assert front(tmp_path / "content/工作推进/csj-2024-0004.md")["标题"] == "文件4\U0001F600"


def test_an_index_number_too_long_for_a_file_name_refuses_its_row(tmp_path, capsys):
    code, out, err, source = gongkai_import(tmp_path, capsys, [
        line(row(1, id="a" * 260)),
        line(row(2, id="测" * 30)),  # ~E6~B5~8B: nine bytes of file name a character
        line(row(3, id="b" * 252)),  # 255 bytes with .md: the longest a file name may be
    ])
    assert code == 0 and out == "导入完成：写入 1 篇，未导入 2 行。\n"
    assert err == [f"{source}:1: 未导入：索引号太长：文件名超过 255 字节（260 字节）",
                   f"{source}:2: 未导入：索引号太长：文件名超过 255 字节（270 字节）"]
    assert written(tmp_path) == [f"content/工作推进/{'b' * 252}.md"]


def test_nothing_is_written_outside_content(tmp_path, capsys):
    config = CONFIG.replace("categories: [", 'categories: [{name: "..", slug: up}, {name: 链接, slug: lj}, ')
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (tmp_path / "content").mkdir()
    (tmp_path / "content/链接").symlink_to(outside)
    mapping = MAP.replace("发布日期: date,", "发布日期: date, 公开目录: category,")
    code, out, err, source = gongkai_import(tmp_path, capsys, [
        line(row(1, category="..")), line(row(2, category="链接")), line(row(3))], mapping, config)
    content = tmp_path / "content"
    assert err == [f"{source}:1: 未导入：公开目录「..」会把文件写到 {content}/ 以外，不能用作文件夹",
                   f"{source}:2: 未导入：公开目录「链接」会把文件写到 {content}/ 以外，不能用作文件夹"]
    assert written(tmp_path) == ["content/工作推进/csj-2024-0003.md"]


def test_a_file_in_the_way_refuses_the_row_and_the_rest_go_on(tmp_path, capsys):
    (tmp_path / "content").mkdir()
    (tmp_path / "content/工作推进").write_text("", encoding="utf-8")  # a file where the folder should be
    mapping = MAP.replace("发布日期: date,", "发布日期: date, 公开目录: category,")
    config = CONFIG.replace("categories: [", "categories: [{name: 其他, slug: qt}, ")
    code, out, err, source = gongkai_import(tmp_path, capsys, [line(row(1)), line(row(2, category="其他"))],
                                            mapping, config)
    assert code == 0 and out == "导入完成：写入 1 篇，未导入 1 行。\n"
    assert err == [f"{source}:1: 未导入：无法写入 {tmp_path / 'content/工作推进'}（已有同名的文件）"]


def test_an_interrupted_import_leaves_no_partial_file(tmp_path, monkeypatch):
    """Ctrl-C while the second file is being written: the first is whole, the second is not there at all."""
    (tmp_path / "config.yml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "map.yml").write_text(MAP, encoding="utf-8")
    source = tmp_path / "export.jsonl"
    source.write_text(line(row(1)) + "\n" + line(row(2, body="很长的正文。" * 1000)) + "\n", encoding="utf-8")
    config, mapping = load_config(tmp_path / "config.yml", Report()), load_mapping(tmp_path / "map.yml")
    real_open, writes = builtins.open, []

    class Interrupted:
        def __init__(self, file):
            self.file = file

        def write(self, text):
            self.file.write(text[: len(text) // 2])
            self.file.flush()
            raise KeyboardInterrupt

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.file.close()

        def __getattr__(self, name):
            return getattr(self.file, name)

    def interrupting_open(file, mode="r", *args, **kwargs):
        opened = real_open(file, mode, *args, **kwargs)
        if not set(mode) & set("wx"):
            return opened
        writes.append(file)
        return Interrupted(opened) if len(writes) == 2 else opened

    monkeypatch.setattr(builtins, "open", interrupting_open)
    monkeypatch.setattr(io, "open", interrupting_open)  # what Path.write_text opens with
    with pytest.raises(KeyboardInterrupt):
        import_rows(config, source, mapping, tmp_path / "content")
    monkeypatch.undo()
    assert len(writes) == 2
    assert sorted(os.listdir(tmp_path / "content/工作推进")) == ["csj-2024-0001.md"]  # no temporary file either
    first = tmp_path / "content/工作推进/csj-2024-0001.md"
    assert front(first)["标题"] == "文件1"
    mask = os.umask(0)
    os.umask(mask)
    assert first.stat().st_mode & 0o777 == 0o666 & ~mask  # readable as any file the editor saves, not private


def test_line_separators_inside_json_strings_are_text_not_line_ends(tmp_path, capsys):
    """JSON allows U+2028, U+2029 and NEL raw in a string; str.splitlines() would break the line there."""
    code, out, err, source = gongkai_import(tmp_path, capsys, [line(row(1, title="上\u2028下\x85文件", body="甲\u2029乙"))])
    assert (code, out, err) == (0, "导入完成：写入 1 篇，未导入 0 行。\n", [])
    # NEL is a C1 control: not imported (schema.INVISIBLE); the line separator stays text.
    assert front(tmp_path / "content/工作推进/csj-2024-0001.md")["标题"] == "上\u2028下文件"


def test_imported_values_read_back_exactly_and_build(tmp_path, capsys):
    title = '引号"、反斜杠\\、 #号、冒号: 值、[括号]、*星、&与、!叹、%百、@at、>大于、\x7f删除、\ufeff、\ufffe、\t制表、\x1b'
    code, out, err, _ = gongkai_import(tmp_path, capsys, [line(row(1, title=title, 文号="[2024]: 1号 # 注"))],
                                       MAP.replace("公开方式: mode}", "公开方式: mode, 文号: 文号}"))
    assert (code, err) == (0, [])
    meta = front(tmp_path / "content/工作推进/csj-2024-0001.md")
    # Control characters no editor can mean are not imported: the build would refuse them (E129).
    assert meta["标题"] == title.replace("\x7f", "").replace("\ufffe", "").replace("\x1b", "")
    assert meta["文号"] == "[2024]: 1号 # 注"
    report, documents = check(tmp_path / "config.yml", tmp_path / "content")
    assert documents == 1 and report.errors == []


def test_control_characters_in_reasons_are_shown_as_escapes(tmp_path, capsys):
    code, out, err, source = gongkai_import(tmp_path, capsys, [line(row(1, agency="\x1b[2J某局"))])
    # The escape character itself is dropped on import; nothing raw reaches the terminal.
    assert err == [f"{source}:1: 未导入：发布机构「[2J某局」没有在 config.yml 中声明"]
