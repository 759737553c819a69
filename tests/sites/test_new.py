"""`gongkai new` / `make new`: a document with its front matter filled in and the next 索引号."""
import os
import re
import subprocess
import sys
from pathlib import Path

from helpers import make_site

ROOT = Path(__file__).resolve().parents[2]
CONFIG = """\
name: 测试专栏
base_url: https://example.gov.cn/
agencies: [{name: 测试局, slug: csj, code: "0000123"}]
categories:
  - name: 法定主动公开内容
    slug: fd
    children: [{name: 规划计划, slug: gh}]
"""


def new(site, *args):
    return subprocess.run([sys.executable, "-m", "gongkai", "new", "--config", str(site.config),
                           "--content", str(site.content), *args], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL)


def test_new_twice_gives_consecutive_index_numbers_and_the_files_build(site_root):
    site = make_site(site_root, config=CONFIG)
    first = new(site, "--title", "第一篇", "--category", "规划计划", "--agency", "测试局", "--date", "2024-03-01")
    second = new(site, "--title", "第二篇", "--category", "法定主动公开内容/规划计划", "--agency", "测试局",
                 "--date", "2024年3月2日")
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    created = sorted(site.content.rglob("*.md"))
    assert [p.relative_to(site.content).as_posix() for p in created] == [
        "法定主动公开内容/规划计划/0000123-2024-0000001.md", "法定主动公开内容/规划计划/0000123-2024-0000002.md"]
    text = created[1].read_text(encoding="utf-8")
    assert '标题: "第二篇"\n' in text and '索引号: "0000123/2024-0000002"\n' in text and "发布日期: 2024-03-02\n" in text
    assert "公开方式: 主动公开\n" in text and "有效性: 有效\n" in text and "# 公开方式：" in text
    assert first.stdout.startswith("已创建 ")
    assert first.stdout.endswith("（索引号: 0000123/2024-0000001）。打开它，写上正文，然后运行 make。\n")
    result = site.build()
    assert result.documents == 2 and result.report.errors == []


def test_new_numbers_follow_the_configured_scheme_and_existing_content(site_root):
    site = make_site(site_root, config=CONFIG + 'index_scheme: "{code}-{year}-{seq:04d}"\n')
    site.write("old.md", "---\n索引号: 0000123-2024-0041\n---\n")
    assert new(site, "--title", "新", "--category", "规划计划", "--agency", "测试局", "--date", "2024-05-01").returncode == 0
    assert (site.content / "法定主动公开内容/规划计划/0000123-2024-0042.md").exists()


def test_new_explains_unknown_values(site_root):
    site = make_site(site_root, config=CONFIG)
    result = new(site, "--title", "新", "--category", "规划", "--agency", "测试局")
    assert result.returncode == 1
    assert result.stderr == "公开目录「规划」在 config.yml 中不存在。可用的目录：法定主动公开内容、法定主动公开内容/规划计划\n"
    result = new(site, "--title", "新", "--category", "规划计划")
    assert result.returncode == 2 and result.stderr == "请给出发布机构（--agency）。\n"


def test_make_new_in_the_repository_form(tmp_path):
    """`make new TITLE=… CATEGORY=… AGENCY=…` passes the values through."""
    env = dict(os.environ)
    result = subprocess.run(["make", "-s", "new", "TITLE=示例", "CATEGORY=规划计划", "AGENCY=临沂市大数据局",
                             f"CONTENT={tmp_path}"], cwd=ROOT, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    created = [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.md")]
    assert len(created) == 1 and re.fullmatch(r"法定主动公开内容/规划计划/1560037521-dsjj-\d{4}-0000001\.md", created[0])
