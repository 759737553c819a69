"""`gongkai import`: CMS exports (CSV with HTML bodies, JSONL with text bodies) into content/."""
from __future__ import annotations

import csv
import json
import subprocess
import sys

from gongkai.stages import check

CONFIG_GOV = """\
name: 导入测试
base_url: https://example.gov.cn/
agencies: [{name: 国务院, slug: gwy}, {name: 国务院办公厅, slug: gwyb}, {name: 中央军委办公厅, slug: jwb}, {name: 中央军委, slug: jw}]
categories: [{name: 国务院文件, slug: gw, children: [{name: 政策, slug: zc}]}]
"""
MAP_GOV = """\
fields: {标题: title, 索引号: index_no, 发布机构: agency, 发布日期: date, 成文日期: written, 文号: doc_no, 主题分类: subject}
defaults: {公开目录: 国务院文件/政策, 公开方式: 主动公开}
body: body_html
"""
CONFIG_HEBEI = """\
name: 导入测试
base_url: https://example.gov.cn/
agencies: [{name: 河北省人民政府办公厅, slug: bgt}, {name: 河北省人力资源和社会保障厅, slug: rst}, {name: 河北省科学技术厅, slug: kjt, aliases: [省科技厅]},
           {name: 河北省教育厅, slug: jyt}, {name: 河北省人民政府, slug: szf}, {name: 河北省工业和信息化厅, slug: gxt}]
categories: [{name: 河北省政府信息公开, slug: hb, children: [{name: 政策文件, slug: zc}]}]
"""
MAP_HEBEI = """\
fields: {标题: title, 索引号: id, 发布机构: agency, 发布日期: date_raw, 文号: doc_no, 有效性: validity}
defaults: {公开目录: 河北省政府信息公开/政策文件, 公开方式: 主动公开}
body: body
body_format: text
"""


def run_import(tmp_path, source, config: str, mapping: str):
    (tmp_path / "config.yml").write_text(config, encoding="utf-8")
    (tmp_path / "map.yml").write_text(mapping, encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "gongkai", "import", str(source), "--map", str(tmp_path / "map.yml"),
                           "--config", str(tmp_path / "config.yml"), "--content", str(tmp_path / "content")],
                          capture_output=True, text=True)


def test_state_council_export_imports_and_builds(tmp_path, shared):
    result = run_import(tmp_path, shared / "corpus/govcn-policies-2019.jsonl", CONFIG_GOV, MAP_GOV)
    assert result.returncode == 0 and result.stdout == "导入完成：写入 60 篇，未导入 0 行。\n", result.stderr
    report, documents = check(tmp_path / "config.yml", tmp_path / "content")
    assert documents == 60 and report.errors == []
    first = (tmp_path / "content/国务院文件/政策/000014349-2019-00007.md").read_text(encoding="utf-8")
    assert first.startswith('---\n标题: "国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见"\n索引号: "000014349/2019-00007"\n')
    assert '发布日期: "2019-02-15"' in first and '成文日期: "2019-01-27"' in first
    assert "<span" not in first and "style=" not in first and "在市场监管领域全面推行“双随机、一公开”监管" in first


def test_provincial_export_with_text_bodies(tmp_path, shared):
    result = run_import(tmp_path, shared / "corpus/hebei_xxgk.jsonl", CONFIG_HEBEI, MAP_HEBEI)
    assert result.returncode == 0
    assert result.stdout == "导入完成：写入 2716 篇，未导入 1 行。\n"
    assert result.stderr.endswith("hebei_xxgk.jsonl:2201: 未导入：发布日期「时间」无法识别\n")  # a CSV header row crawled as a record
    report, documents = check(tmp_path / "config.yml", tmp_path / "content")
    assert documents == 2716 and report.errors == []


def test_csv_with_html_bodies_and_refusals(tmp_path):
    source = tmp_path / "export.csv"
    with source.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["标题", "索引号", "机构", "日期", "正文"])
        writer.writerow(["方城镇2021年政务公开实施方案", "lanshanqufczzf/2021-0000679", "兰山区方城镇", "2021-07-24",
                         '<p style="x">为认真落实<b>要点</b>。</p><script>alert(1)</script><table><tr><th>序号</th></tr>'
                         "<tr><td>1</td></tr></table>"])
        writer.writerow(["", "x/1", "兰山区方城镇", "2021-07-24", "<p>无标题</p>"])
        writer.writerow(["外单位文件", "x/2", "某局", "2021-07-24", ""])
        writer.writerow(["重复", "lanshanqufczzf/2021-0000679", "兰山区方城镇", "2021年7月25日", ""])
    config = "name: 测试\nbase_url: https://example.gov.cn/\nagencies: [{name: 兰山区方城镇, slug: fcz}]\n" \
             "categories: [{name: 工作推进, slug: gz}]\n"
    mapping = "fields: {标题: 标题, 索引号: 索引号, 发布机构: 机构, 发布日期: 日期}\n" \
              "defaults: {公开目录: 工作推进, 公开方式: 主动公开}\nbody: 正文\n"
    result = run_import(tmp_path, source, config, mapping)
    assert result.stdout == "导入完成：写入 1 篇，未导入 3 行。\n"
    assert result.stderr.splitlines() == [
        f"{source}:3: 未导入：缺少标题",
        f"{source}:4: 未导入：发布机构「某局」没有在 config.yml 中声明",
        f"{source}:5: 未导入：索引号「lanshanqufczzf/2021-0000679」重复",
    ]
    written = (tmp_path / "content/工作推进/lanshanqufczzf-2021-0000679.md").read_text(encoding="utf-8")
    assert "为认真落实**要点**。" in written and "alert" not in written and "| 序号 |" in written


def test_bad_mapping_is_explained(tmp_path):
    source = tmp_path / "e.jsonl"
    source.write_text(json.dumps({"t": "x"}) + "\n", encoding="utf-8")
    result = run_import(tmp_path, source, CONFIG_GOV, "fields: {题目: t}\n")
    assert result.returncode == 2 and result.stderr == "无法导入：映射文件中的字段「题目」不是文档字段\n"


SEED_CONFIG = """\
name: 导入测试
base_url: https://example.gov.cn/
agencies: [{name: 兰山区方城镇, slug: fcz, code: lanshanqufczzf}, {name: 临沂市大数据局, slug: dsjj, code: 1560037521/dsjj}]
categories:
  - {name: 法定主动公开内容, slug: fd, children: [{name: 规划计划, slug: gh}, {name: 其他, slug: qt}]}
"""


def test_seed_pages_as_exports_with_their_scraped_metadata_tables(tmp_path, shared):
    """JSONL with text bodies and CSV with HTML bodies, made from seeds 000 and 004, whose only
    metadata is the table scraped at the top of the page."""
    seeds = [(shared / "seeds" / name).read_text(encoding="utf-8")
             for name in ("000_38a06af141a3a13c.txt", "004_f90591fa5374444a.txt")]
    mapping = "defaults: {公开目录: 法定主动公开内容/其他, 公开方式: 主动公开}\nbody: body\nscraped_table: true\n"
    jsonl = tmp_path / "seeds.jsonl"
    jsonl.write_text("".join(json.dumps({"body": s}, ensure_ascii=False) + "\n" for s in seeds), encoding="utf-8")
    result = run_import(tmp_path, jsonl, SEED_CONFIG, mapping + "body_format: text\n")
    assert result.stdout == "导入完成：写入 2 篇，未导入 0 行。\n", result.stderr
    fcz = (tmp_path / "content/法定主动公开内容/其他/lanshanqufczzf-2021-0000679.md").read_text(encoding="utf-8")
    assert fcz.startswith('---\n标题: "方城镇2021年政务公开实施方案"\n索引号: "lanshanqufczzf/2021-0000679"\n'
                          '公开目录: "法定主动公开内容/其他"\n发布机构: "兰山区方城镇"\n发布日期: "2021-07-24"\n公开方式: "主动公开"\n---')
    dsjj = (tmp_path / "content/法定主动公开内容/规划计划/1560037521-dsjj-2021-0000065.md").read_text(encoding="utf-8")
    assert '标题: "2021年临沂市大数据局政务公开工作要点"' in dsjj and '公开目录: "法定主动公开内容/规划计划"' in dsjj
    assert "索引号 |" not in dsjj  # the scraped table is metadata now, not body text

    # The same pages as a CSV export with HTML bodies, into a second column.
    export = tmp_path / "seeds.csv"
    with export.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["body"])
        for seed in seeds:
            writer.writerow(["".join(f"<p>{line}</p>" for line in seed.splitlines() if line.strip())])
    second = tmp_path / "second"
    second.mkdir()
    result = run_import(second, export, SEED_CONFIG, mapping)
    assert result.stdout == "导入完成：写入 2 篇，未导入 0 行。\n", result.stderr
    report, documents = check(second / "config.yml", second / "content")
    assert documents == 2 and report.errors == []
