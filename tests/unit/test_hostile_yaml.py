"""Hostile YAML in front matter and config.yml: a located Chinese error within a second, never a
MemoryError, a RecursionError or a minute of work."""
from __future__ import annotations

import pytest

from gongkai import yamltree
from gongkai.config import load_config
from gongkai.errors import Report
from helpers import doc, make_site
from test_hostile_markup import bounded

# "Billion laughs": nine lines that stand for 9**9 values once the aliases are expanded.
LAUGHS = 'a: &a ["笑","笑","笑","笑","笑","笑","笑","笑","笑"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8))


def error(text: str, first_line: int = 1) -> tuple[int, int, str]:
    """(line, col, message) of the YamlSyntaxError that load() raises, in a bounded child."""
    def load():
        try:
            yamltree.load(text, first_line)
        except yamltree.YamlSyntaxError as exc:
            return exc.line, exc.col, exc.message
        return None
    return bounded(load, seconds=1.5)


ALIAS = "不支持 YAML 的锚点和别名（& 和 * 开头的写法）"


def test_billion_laughs_is_refused_at_the_first_anchor():
    assert error(LAUGHS, first_line=2) == (2, 4, ALIAS)


def test_an_alias_or_anchor_anywhere_is_refused():
    assert error("a: 1\nb: [1, *x]\n") == (2, 8, ALIAS)
    assert error("a: &x\n  k: v\nb:\n  <<: *x\n") == (1, 4, ALIAS)
    assert error("摘要: *重要*\n") == (1, 5, ALIAS)
    assert error("摘要: &nbsp;\n") == (1, 5, ALIAS)  # was read as an empty value
    assert yamltree.load('摘要: "*重要*"\n').items[0][1].value == "*重要*"  # quoted, it is text


@pytest.mark.parametrize("text, where", [
    ("a: " + "[" * 5000 + "]" * 5000 + "\n", (1, 53)),
    ("a: " + "{b: " * 5000 + "c" + "}" * 5000 + "\n", (1, 200)),
    ("a: " + "[" * 1_000_000, (1, 53)),
    ("".join("  " * i + f"k{i}:\n" for i in range(3000)) + "  " * 3000 + "v\n", (51, 101)),
    ("".join("  " * i + "-\n" for i in range(3000)), (51, 101)),
])
def test_deep_nesting_is_refused_where_it_passes_fifty_levels(text, where):
    assert error(text) == (*where, "嵌套太深（超过 50 层）")


def test_too_many_values_are_refused():
    assert error("a: [" + "1," * 100_001 + "]\n") == (1, 199_999, "内容太多（超过 100000 项）")


def test_plain_front_matter_reads_as_before():
    tree = yamltree.load("标题: 测试\n列表: [a, b]\n年报:\n  年度: 2024\n  申请:\n    新收: [1, 2]\n", first_line=2)
    assert [(k.value, k.line, k.col) for k, _v in tree.items] == [("标题", 2, 1), ("列表", 3, 1), ("年报", 4, 1)]
    assert tree.items[1][1] == yamltree.Seq((yamltree.Scalar("a", 3, 6), yamltree.Scalar("b", 3, 9)), 3, 5)
    assert tree.items[2][1].items[1][1].items[0][1].items[1] == yamltree.Scalar("2", 7, 13)
    assert yamltree.load("") is None and yamltree.load("# 注释\n") is None
    assert yamltree.load("a:\n").items[0][1] == yamltree.Scalar("", 1, 3)


def test_the_old_errors_stay_as_they_were():
    assert error('a: "\\ud800"\n') == (1, 4, "这一行有无效的字符")
    assert error("[a, b]: c\n") == (1, 1, "键必须是一段文字")
    assert error("a: 1\n---\nb: 2\n") == (2, 1, "YAML 格式错误")
    assert error("a: 1\n\tb: 2\n")[2] == "这一行用了 Tab 键缩进"


def test_an_escape_beyond_unicode_is_located():
    # libyaml refuses it; PyYAML's own reader raised ValueError from chr(), not a YAMLError.
    assert error('标题: 测试\n文号: "\\U00110000"\n', first_line=2) == (3, 6, "这一行有无效的字符")
    assert error('"\\U00110000\n') == (1, 2, "这一行有无效的字符")


def test_front_matter_bomb_is_an_error_of_the_file(site_root):
    body = doc().replace("公开方式: 主动公开", "公开方式: 主动公开\n" + LAUGHS.rstrip("\n"))
    site = make_site(site_root, {"a.md": body})
    assert bounded(site.build_fails, seconds=10) == [
        f"site/content/a.md:8:4: 错误[E103]: 元数据格式错误：{ALIAS}\n"
        "  提示：把值直接写出来；值本身以 * 或 & 开头时，给它加上英文双引号，例如「摘要: \"*以此件为准\"」。"]


def test_config_bomb_is_an_error_of_config_yml(site_root):
    site_root.mkdir(parents=True)
    (site_root / "config.yml").write_text("name: 测试\n" + LAUGHS, encoding="utf-8")

    def problems():
        report = Report()
        load_config(site_root / "config.yml", report)
        return [p.format() for p in report.sorted()]
    assert bounded(problems) == [
        f"site/config.yml:2:4: 错误[E002]: 配置文件格式错误：{ALIAS}\n"
        "  提示：把值直接写出来；值本身以 * 或 & 开头时，给它加上英文双引号，例如「摘要: \"*以此件为准\"」。"]
    (site_root / "config.yml").write_text("name: " + "[" * 100_000, encoding="utf-8")
    assert bounded(problems) == [
        "site/config.yml:1:56: 错误[E002]: 配置文件格式错误：嵌套太深（超过 50 层）\n"
        "  提示：检查这一行附近是不是多写了「[」「{」，或者缩进越来越深。"]
