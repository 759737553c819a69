"""`gongkai new` writes front matter that reads back as typed: any title, and category and agency
names full of YAML's special characters; what it refuses, it refuses in Chinese."""
from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import event, given, settings, strategies as st

from gongkai.stages import check
from gongkai.config import load_config
from gongkai.errors import Report
from gongkai.frontmatter import split
from gongkai.new import NewFailed, create, quoted
from gongkai.yamltree import Scalar, load

CONFIG = """\
name: 测试专栏
base_url: https://example.gov.cn/
agencies: [{name: 测试局, slug: csj, code: "0000123"}]
categories: [{name: 法定主动公开内容, slug: fd, children: [{name: 规划计划, slug: gh}]}]
"""
# Names as config.yml may declare them (quoted there), each special somewhere in YAML's plain scalars.
SPECIAL_CONFIG = """\
name: 测试专栏
base_url: https://example.gov.cn/
agencies:
  - {name: "@测试局 #1: \\"总局\\"", slug: a1, code: "0001"}
  - {name: "甲局, 乙局", slug: a2}
  - {name: "* 星 & 锚 !标签", slug: a3}
  - {name: "> 大于 | 竖线 % 百分", slug: a4}
categories:
  - {name: "[规划]: 计划 #1", slug: c1, children: [{name: "'引号' \\"双\\" {花括号}", slug: c2}]}
  - {name: "- 横线 ? 问号 `反引号`", slug: c3}
"""
DATE = dt.date(2024, 3, 1)
# Characters YAML reads specially, and the line breaks and controls it reads otherwise, mixed into arbitrary text.
SPECIALS = [*"#:[]{}*&!%@>|'\"\\`,?-~ \t\n\r\x00\x1b\x7f\x85\xa0\u2028\u2029\u3000\ufeff\ufffe\uffff", ": ", " #", "---"]
REFUSED = {"Cc", "Zl", "Zp", "Cs"}  # controls (tab, line breaks), line and paragraph separators, lone surrogates


def config_of(tmp_path: Path, text: str):
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "config.yml").write_text(text, encoding="utf-8")
    report = Report()
    config = load_config(tmp_path / "config.yml", report)
    assert not report.problems, report.format()
    return config


def read_back(path: Path) -> dict:
    """The front matter as the build reads it: each value stripped as content.py strips it; a list as a list."""
    meta = split(path.read_text(encoding="utf-8")).meta
    return {key.value: value.value.strip() if isinstance(value, Scalar) else [v.value.strip() for v in value.items]
            for key, value in meta.items}


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    return config_of(tmp_path_factory.mktemp("site"), CONFIG)


@settings(max_examples=200, deadline=None)
@given(title=st.text() | st.lists(st.characters() | st.sampled_from(SPECIALS)).map("".join))
def test_any_title_reads_back_as_typed_or_is_refused_in_chinese(config, title):
    """The title is stripped before it is written (the build strips it when reading), so what
    comes back is the stripped title; only an empty title, or one that is not one line of text, is refused."""
    expected = title.strip()
    refused = not expected or any(unicodedata.category(c) in REFUSED for c in expected)
    event("refused" if refused else "written")  # --hypothesis-show-statistics: both happen often
    with tempfile.TemporaryDirectory() as content:
        try:
            created = create(config, Path(content), title, "规划计划", "测试局", DATE)
        except NewFailed as exc:
            assert refused, f"{title!r} was refused: {exc}"
            assert re.match(r"标题(是空的|中有换行、制表符或其他控制字符|中有无法识别的字符)", str(exc))
            return
        assert not refused, f"{title!r} should have been refused"
        assert read_back(created.path)["标题"] == expected


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_quoted_values_read_back_exactly(value):
    """What `new` and `import` write: a double-quoted scalar the project's YAML reader reads as it was."""
    assert load(f"标题: {quoted(value)}").items[0][1].value == value


def test_category_and_agency_names_with_yaml_specials_round_trip_and_build(tmp_path):
    config = config_of(tmp_path, SPECIAL_CONFIG)
    pairs = list(zip((c.key for c in config.all_categories()), (a.name for a in config.agencies)))
    pairs.append(("'引号' \"双\" {花括号}", "> 大于 | 竖线 % 百分"))  # a unique leaf name, as editors may type it
    for category, agency in pairs:
        created = create(config, tmp_path / "content", "标题: 含 #号", category, agency, DATE)
        meta = read_back(created.path)
        key = next(c.key for c in config.all_categories() if category in (c.key, c.name))
        assert (meta["标题"], meta["公开目录"], meta["索引号"]) == ("标题: 含 #号", key, created.index_no)
        assert meta["发布机构"] == (["甲局, 乙局"] if agency == "甲局, 乙局" else agency)  # one agency, not two
    report, documents = check(tmp_path / "config.yml", tmp_path / "content")
    assert documents == 4 and report.errors == []


@pytest.mark.parametrize("title, message", [
    ("  ", "标题是空的。"),
    ("第一行\n第二行", "标题中有换行、制表符或其他控制字符（U+000A）：标题只能是一行文字，删除这个字符后重试。"),
    ("制表\t符", "标题中有换行、制表符或其他控制字符（U+0009）：标题只能是一行文字，删除这个字符后重试。"),
    ("分\u2028行", "标题中有换行、制表符或其他控制字符（U+2028）：标题只能是一行文字，删除这个字符后重试。"),
    ("乱码\udcb1", "标题中有无法识别的字符：终端的编码可能不是 UTF-8，请在 UTF-8 编码的终端中重新输入。"),  # GBK argv
])
def test_what_cannot_be_a_title_is_refused_and_nothing_written(config, tmp_path, title, message):
    with pytest.raises(NewFailed) as refused:
        create(config, tmp_path, title, "规划计划", "测试局", DATE)
    assert str(refused.value) == message and list(tmp_path.iterdir()) == []


def test_a_category_leading_out_of_content_is_refused(tmp_path):
    config = config_of(tmp_path, CONFIG.replace("categories: [", 'categories: [{name: "..", slug: up}, '))
    with pytest.raises(NewFailed) as refused:
        create(config, tmp_path / "content", "标题", "..", "测试局", DATE)
    assert str(refused.value) == f"公开目录「..」会把文件写到 {tmp_path / 'content'}/ 以外，不能用作文件夹"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.yml"]


def test_an_index_number_too_long_for_a_file_name_is_refused(tmp_path):
    config = config_of(tmp_path, CONFIG.replace('code: "0000123"', f'code: "{"x" * 300}"'))
    with pytest.raises(NewFailed) as refused:
        create(config, tmp_path / "content", "标题", "规划计划", "测试局", DATE)
    assert str(refused.value) == "索引号太长：文件名超过 255 字节（313 字节）"


@pytest.mark.parametrize("scheme", ["{code}-{year}", "{agency}/{year}-{seq:04d}", "{code}/{seq:04d}-{seq:02d}",
                                    "{code}/{seq:q}"])
def test_an_index_scheme_new_cannot_number_is_explained(tmp_path, scheme):
    config = config_of(tmp_path, CONFIG + f'index_scheme: "{scheme}"\n')
    (tmp_path / "content").mkdir()
    (tmp_path / "content/old.md").write_text("---\n索引号: 0000123-2024\n---\n", encoding="utf-8")
    with pytest.raises(NewFailed) as refused:
        create(config, tmp_path / "content", "标题", "规划计划", "测试局", DATE)
    assert str(refused.value) == (f"config.yml 的 index_scheme「{scheme}」写法不对：只能用 {{code}}、{{year}} "
                                  "和一个 {seq:07d} 这样的序号，例如 {code}/{year}-{seq:07d}。")


def test_the_next_number_counts_what_the_build_reads(tmp_path):
    """Quoted and padded, GBK-encoded, CRLF: the build reads each 索引号, so `new` must not reuse it;
    a folder named like a document and a file that is no document are passed over."""
    config = config_of(tmp_path, CONFIG)
    content = tmp_path / "content"
    (content / "目录.md").mkdir(parents=True)
    (content / "a.md").write_text('---\n索引号: " 0000123/2024-0000041 "\n---\n', encoding="utf-8")
    (content / "b.md").write_bytes("---\r\n标题: 旧文件\r\n索引号: 0000123/2024-0000050\r\n---\r\n".encode("gbk"))
    (content / "c.md").write_bytes(b"\xff\xfe\x00garbage")
    (content / "d.md").write_text("---\n索引号: [0000123/2024-0000099]\n---\n", encoding="utf-8")  # a list: refused
    created = create(config, content, "新", "规划计划", "测试局", DATE)
    assert created.index_no == "0000123/2024-0000051"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_in_content_does_not_block_new(tmp_path):
    config_of(tmp_path, CONFIG)
    (tmp_path / "content").mkdir()
    os.mkfifo(tmp_path / "content/pipe.md")
    result = subprocess.run([sys.executable, "-m", "gongkai", "new", "--config", str(tmp_path / "config.yml"),
                             "--content", str(tmp_path / "content"), "--title", "新", "--category", "规划计划",
                             "--agency", "测试局", "--date", "2024-03-01"],
                            capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "content/法定主动公开内容/规划计划/0000123-2024-0000001.md").exists()
