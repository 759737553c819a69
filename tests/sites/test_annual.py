"""政府信息公开年报: Table 二 counted from the content across three years, the cross-year check,
Tables 三 and 四 from front matter with their own check, CSV downloads.

Fixture: the three-year column of test_validity.py plus one report a year. Expected counts were
worked out by hand (see the comments).
"""
from __future__ import annotations

import re

import pytest

from helpers import doc, make_site
from test_validity import CONFIG, DOCS

NB = "法定主动公开内容/规划计划"  # reports may sit in any column; the 年报 block is what counts


def report(year: int, extra: str = "", index: int = 0) -> str:
    return doc(f"测试局{year}年政府信息公开工作年度报告", f"csj/{year + 1}-99{index:05d}", NB,
               date=f"{year + 1}-01-15", body="## 一、总体情况\n\n总体情况。\n\n## 二、主动公开政府信息情况\n\n"
                                             "## 三、收到和处理政府信息公开申请情况\n\n说明。\n\n## 六、其他需要报告的事项\n\n无。",
               **{"年报": f"\n  年度: {year}{extra}"})


TABLES_2024 = """
  行政许可: 12
  行政处罚: 3
  行政强制: 0
  行政事业性收费: 1.25
  申请:
    新收: [3, 1, 0, 0, 0, 1]
    上年结转: [1, 0, 0, 0, 0, 0]
    予以公开: [2, 1, 0, 0, 0, 0]
    重复申请: [1, 0, 0, 0, 0, 0]
    结转下年: [1, 0, 0, 0, 0, 1]
  复议诉讼:
    行政复议: [1, 0, 0, 1]
    复议后起诉: [0, 1, 0, 0]"""


@pytest.fixture
def site(site_root, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    docs = dict(DOCS)
    docs["r2022.md"] = report(2022, index=1)
    docs["r2023.md"] = report(2023, "\n  申请:\n    新收: [2, 0, 0, 0, 0, 0]\n    予以公开: [1, 0, 0, 0, 0, 0]", index=2)
    docs["r2024.md"] = report(2024, TABLES_2024, index=3)
    site = make_site(site_root, docs, config=CONFIG)
    site.build()
    return site


def table2_rows(page: str) -> dict:
    return {kind: tuple(int(n) for n in nums) for kind, *nums in
            re.findall(r'<tr><th scope="row">(规章|行政规范性文件)</th><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td></tr>', page)}


# 行政规范性文件 of 测试局: 甲 2022-03-01 (有效期至 2023-02-28, so 失效 2023-03-01), 乙 2022-06-01 (废止 2023-06-30),
# 丙 2023-06-30, 戊 2024-05-01 (已修订 2024-09-01), 戊（修订）2024-09-01. 规章: 丁 2024-01-10.
@pytest.mark.parametrize("year, index, expected, previous_in_force", [
    (2022, 1, {"规章": (0, 0, 0), "行政规范性文件": (2, 0, 2)}, {"规章": 0, "行政规范性文件": 0}),
    (2023, 2, {"规章": (0, 0, 0), "行政规范性文件": (1, 2, 1)}, {"规章": 0, "行政规范性文件": 2}),
    (2024, 3, {"规章": (1, 0, 1), "行政规范性文件": (2, 1, 2)}, {"规章": 0, "行政规范性文件": 1}),
])
def test_table_two_is_counted_from_the_content(site, year, index, expected, previous_in_force):
    page = site.page(f"doc/csj/{year + 1}-99{index:05d}/index.html")
    assert table2_rows(page) == expected
    for kind, (issued, repealed, in_force) in expected.items():
        assert (f"{kind}现行有效件数核对：上年末 {previous_in_force[kind]} 件 + 本年制发 {issued} 件 − 本年废止 {repealed} 件"
                f" = {previous_in_force[kind] + issued - repealed} 件，本年末现行有效 {in_force} 件，<strong>核对通过</strong>。") in page
    # The table sits in section 二, before section 三.
    assert page.index("二、主动公开政府信息情况") < page.index('class="report"') < page.index("三、收到和处理政府信息公开申请情况")


def test_cross_year_check_fails_for_a_repeal_without_a_date(site_root, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    docs = dict(DOCS)
    docs["x.md"] = doc("己办法", "csj/2022-0000010", "法定主动公开内容/法规文件/行政规范性文件", date="2022-01-05", 有效性="废止")
    docs["r2022.md"] = report(2022, index=1)
    site = make_site(site_root, docs, config=CONFIG)
    site.build()
    page = site.page("doc/csj/2023-9900001/index.html")
    # 己 counts as issued in 2022 but, repealed on no date, neither as repealed nor as in force: 0 + 3 − 0 ≠ 2.
    assert table2_rows(page)["行政规范性文件"] == (3, 0, 2)
    assert ("行政规范性文件现行有效件数核对：上年末 0 件 + 本年制发 3 件 − 本年废止 0 件 = 3 件，本年末现行有效 2 件，"
            "<strong>核对未通过</strong>。") in page


def test_front_matter_rows_and_table_three_check(site):
    page = site.page("doc/csj/2025-9900003/index.html")
    assert '<tr><th scope="row">行政许可</th><td colspan="3">12</td></tr>' in page
    assert '<tr><th scope="row">行政事业性收费</th><td colspan="3">1.25</td></tr>' in page
    assert '<th scope="row">一、本年新收政府信息公开申请数量</th><td>3</td><td>1</td><td>0</td><td>0</td><td>0</td><td>1</td><td>5</td>' in page
    assert '<th scope="row">（七）总计</th><td>3</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>4</td>' in page
    assert "勾稽关系核对（一 + 二 = 三 + 四）：<strong>核对通过</strong>。" in page
    # 表四: 行政复议 1 维持 + 1 尚未审结 = 2; 复议后起诉 1 纠正.
    assert "<tr><td>1</td><td>0</td><td>0</td><td>1</td><td>2</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td>" \
           "<td>0</td><td>1</td><td>0</td><td>0</td><td>1</td></tr>" in page
    failing = site.page("doc/csj/2024-9900002/index.html")
    assert "勾稽关系核对（一 + 二 = 三 + 四）：<strong>核对未通过（自然人列 总计列 不一致）</strong>。" in failing


def test_tables_download_as_csv_with_bom(site):
    csv2 = (site.output / "doc/csj/2025-9900003/table-2.csv").read_bytes()
    assert csv2.startswith("\ufeff".encode())
    assert csv2.decode("utf-8-sig").splitlines()[:3] == ["信息内容,本年制发件数,本年废止件数,现行有效件数", "规章,1,0,1", "行政规范性文件,2,1,2"]
    csv3 = (site.output / "doc/csj/2025-9900003/table-3.csv").read_text(encoding="utf-8-sig").splitlines()
    assert csv3[0] == "办理情况,自然人,商业企业,科研机构,社会公益组织,法律服务机构,其他,总计"
    assert "（七）总计,3,1,0,0,0,0,4" in csv3
    page = site.page("doc/csj/2025-9900003/index.html")
    assert '<a href="table-2.csv" download>下载 CSV</a>' in page


def test_report_numbers_are_checked(site_root):
    site = make_site(site_root, {"r.md": report(2024, "\n  行政许可: 十二")})
    assert site.build_fails() == [
        "site/content/r.md:10:9: 错误[E124]: 「行政许可」应当是不小于 0 的整数，现在是「十二」\n  提示：只写数字，例如 12。"]
    site = make_site(site_root, {"r.md": report(2024, "\n  申请:\n    新收: [1, 2]")})
    assert site.build_fails() == [
        "site/content/r.md:11:9: 错误[E124]: 「申请」的「新收」应当是 6 个数字\n"
        "  提示：每项写六个数字：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他。"]
