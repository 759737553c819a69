"""`gongkai check`: 文号 per GB/T 9704-2012 with the corrected form, body lints, exit codes."""
import json
import subprocess
import sys

import pytest

from gongkai.lint import doc_no_problem
from helpers import doc, make_site


@pytest.mark.parametrize("raw, fixed", [
    ("人社厅发[2015]197号", "人社厅发〔2015〕197号"),
    ("冀人社发【2017】20号", "冀人社发〔2017〕20号"),
    ("冀人社规［2016］9号", "冀人社规〔2016〕9号"),
    ("国科发政字〔2000〕063号", "国科发政字〔2000〕63号"),
    ("方政发〔2021〕第9号", "方政发〔2021〕9号"),
    ("方政发(2021)9号", "方政发〔2021〕9号"),
    ("方政发〈2021〉9号", "方政发〔2021〕9号"),
    ("国办发〔2019〕5", "国办发〔2019〕5号"),
    ("中华人民共和国国务院令　第619号", "中华人民共和国国务院令第619号"),
    ("区委办〔16〕115号", ""),
])
def test_doc_numbers_are_corrected(raw, fixed):
    assert doc_no_problem(raw) == fixed


@pytest.mark.parametrize("good", ["国发〔2019〕5号", "国办发明电〔2018〕15号", "国令第707号",
                                  "河北省人民政府令〔2023〕第5号", "2019年第3号公告", "国家税务总局公告2019年第3号"])
def test_legitimate_forms_pass(good):
    assert doc_no_problem(good) is None


def test_state_council_documents_lint_clean(shared):
    rows = [json.loads(line) for line in (shared / "corpus/govcn-policies-2019.jsonl").open(encoding="utf-8")]
    assert [r["doc_no"] for r in rows if doc_no_problem(r["doc_no"]) is not None] == []


def test_every_bad_doc_number_in_the_oddities_is_flagged(shared):
    rows = [json.loads(line) for line in (shared / "corpus/oddities.jsonl").open(encoding="utf-8")]
    numbers = [r["value"] for r in rows if r["field"] == "doc_no"]
    assert numbers and all(doc_no_problem(n) is not None for n in numbers)


# The helper config's columns without documents in these sites: `check` names them too (W216).
EMPTY_COLUMNS = [
    "site/config.yml:10:1: 警告[W216]: 栏目「法定主动公开内容/法规文件」和它的下级栏目都没有文件，检查时会算作空白栏目",
    "  提示：发布这个栏目的文件，或者在 config.yml 写 hide_empty_columns: true 隐藏没有文件的栏目。",
    "site/config.yml:12:1: 警告[W216]: 栏目「政府信息公开指南」没有文件，检查时会算作空白栏目",
    "  提示：发布这个栏目的文件，或者在 config.yml 写 hide_empty_columns: true 隐藏没有文件的栏目。",
]


def check(site, *extra):
    return subprocess.run([sys.executable, "-m", "gongkai", "check", "--config", str(site.config),
                           "--content", str(site.content), *extra], capture_output=True, text=True, cwd=site.root.parent)


def test_check_reports_lints_word_for_word_and_writes_nothing(site_root):
    site = make_site(site_root, {
        "a.md": doc(date="2024-12-01", 文号="测发[2024]01号", body="![](图.png)\n\n见[附表](附表.xlsx)。\n\n## 一、说明\n\n## 二、要求\n\n正文。"),
    })
    result = check(site)
    assert result.returncode == 0
    assert result.stderr.splitlines() == EMPTY_COLUMNS + [
        "site/content/a.md:8:1: 警告[W205]: 文号「测发[2024]01号」不符合 GB/T 9704-2012 的写法",
        "  提示：应写作「测发〔2024〕1号」。",
        "site/content/a.md:10:1: 警告[W206]: 图片「图.png」没有替代文字",
        "  提示：写成 ![图片内容的简短说明](图片文件)，读屏软件会读出这段说明。",
        "site/content/a.md:10:1: 警告[W207]: 链接「附表.xlsx」指向的文件不存在",
        "  提示：检查链接的路径（相对于本文档所在目录），或者改为完整的网址。",
        "site/content/a.md:10:1: 警告[W208]: 标题「一、说明」下面没有内容",
        "  提示：在标题下写上内容，或者删除这个标题。",
    ]
    assert result.stdout == "检查完成：文档 1 篇，错误 0 个，警告 6 个。\n"
    assert not site.output.exists()
    assert check(site, "--strict").returncode == 1


def test_index_numbers_follow_the_configured_scheme(site_root):
    site = make_site(site_root, {"a.md": doc(index_no="csj-2024-1", date="2024-12-01")})
    result = check(site)
    assert result.stderr.splitlines() == EMPTY_COLUMNS + [
        "site/content/a.md:3:1: 警告[W209]: 索引号「csj-2024-1」不符合 config.yml 中 index_scheme 的格式",
        "  提示：应当像「csj/2024-0000001」这样；新文件用 make new 生成索引号。已经发布的文件不要改索引号。"]


def test_check_exit_codes(site_root):
    site = make_site(site_root, {"a.md": doc()})
    assert check(site).returncode == 0
    site.write("b.md", doc(index_no="csj/2024-0000002", mode="公开"))
    failed = check(site)
    assert failed.returncode == 1 and "错误[E111]" in failed.stderr
    assert subprocess.run([sys.executable, "-m", "gongkai", "check", "--bogus"], capture_output=True).returncode == 2
