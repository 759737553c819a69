"""Whole builds: the sample column, determinism, atomic output, overrides, the CLI."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai.output import DoubleWrite, Staging
from helpers import doc, make_site

ROOT = Path(__file__).resolve().parents[2]
INVALID = Path(__file__).resolve().parent / "invalid"


def gongkai(*args, cwd: Path, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "gongkai", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_sample_column_builds(tmp_path):
    result = gongkai("build", "--output", str(tmp_path / "out"), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("构建完成：文档 15 篇（主动公开 13，依申请公开 1，不予公开 1），页面 ")
    files = tree(tmp_path / "out")
    for page in ("index.html", "404.html", "zd/bzjz/zzgl/gztj/index.html", "agency/fczzf/index.html",
                 "year/2021/index.html", "doc/lanshanqufczzf/2021-0000679/index.html", "static/site.css",
                 "search/index.html"):
        assert page in files
    # The search index is one Pagefind bundle per shard; the sample fits in one. The 繁體 mirror has its own.
    assert {name for name in files if name.endswith("pagefind-entry.json")} == {
        "pagefind/2016-2022/pagefind-entry.json", "zh-hant/pagefind/2016-2022/pagefind-entry.json"}
    assert "pagefind/2016-2022/pagefind.js" in files
    # The search records Pagefind read are scratch, never published; readers' pages carry no index markup.
    assert not any(".search-records" in name for name in files)
    assert b"data-pagefind" not in files["doc/lanshanqufczzf/2021-0000679/index.html"]
    # The withheld sample and the body of the on-request sample are nowhere.
    assert not any("2021-0000701" in name for name in files)
    blob = b"".join(files.values()).decode("utf-8", "replace")
    assert "党政联席会议纪要" not in blob and "本条目正文仅依申请提供" not in blob


def test_two_builds_are_byte_identical(tmp_path):
    """Different hash seeds and working folders, same bytes."""
    first = gongkai("build", "--output", str(tmp_path / "a"), cwd=ROOT, env_extra={"PYTHONHASHSEED": "1"})
    copy = tmp_path / "copy"
    shutil.copytree(ROOT / "content", copy / "content")
    shutil.copy(ROOT / "config.yml", copy / "config.yml")
    shutil.copytree(ROOT / "themes", copy / "themes")
    second = gongkai("build", "--output", str(tmp_path / "b"), cwd=copy, env_extra={"PYTHONHASHSEED": "2"})
    assert first.returncode == second.returncode == 0
    a, b = tree(tmp_path / "a"), tree(tmp_path / "b")
    assert list(a) == list(b)
    assert [name for name in a if a[name] != b[name]] == []


def test_ten_kinds_of_mistakes(tmp_path):
    """The invalid fixture: ten coded Chinese errors with file:line, exit 1, output/ untouched."""
    site = tmp_path / "invalid"
    shutil.copytree(INVALID, site)
    (site / "output").mkdir()
    (site / "output" / "index.html").write_text("上一次发布的网站", encoding="utf-8")
    before = tree(site / "output")
    result = gongkai("build", cwd=site)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (INVALID / "expected.txt").read_text(encoding="utf-8")
    assert result.stderr.count("错误[E1") == 10
    assert tree(site / "output") == before
    # No staging folder left; the cache folder holds only the build lock.
    assert sorted(p.name for p in site.iterdir()) == [".gongkai-cache", "config.yml", "content", "expected.txt", "output"]
    assert [p.name[:8] + p.suffix for p in (site / ".gongkai-cache").iterdir()] == [".output-.lock"]


def test_failed_build_leaves_previous_output_identical(site_root):
    site = make_site(site_root, {"a.md": doc()})
    site.build()
    before = site.files()
    site.write("b.md", doc(index_no="csj/2024-0000002", mode="不公开"))
    site.build_fails()
    assert site.files() == before
    assert [p.name for p in site.root.iterdir() if p.name.startswith(".")] == [".gongkai-cache"]  # no staging left


def test_template_error_leaves_output_and_no_staging(site_root):
    site = make_site(site_root, {"a.md": doc()})
    site.build()
    before = site.files()
    (site.root / "templates").mkdir()
    (site.root / "templates" / "home.html").write_text("{{ no_such_variable }}", encoding="utf-8")
    problems = site.build_fails()
    assert problems == ["site/templates/home.html:1:1: 错误[E009]: 模板错误（生成页面「index.html」时）：'no_such_variable' is undefined\n"
                        "  提示：检查站点 templates/ 中覆盖的模板文件。"]
    assert site.files() == before
    assert [p.name for p in site.root.iterdir() if p.name.startswith(".")] == [".gongkai-cache"]  # no staging left


def test_site_templates_override_the_theme_file_by_file(site_root):
    site = make_site(site_root, {"a.md": doc()})
    (site.root / "templates" / "partials").mkdir(parents=True)
    (site.root / "templates" / "partials" / "footer.html").write_text(
        '<footer class="site-footer"><p>本站自己的页脚</p></footer>\n', encoding="utf-8")
    site.build()
    home = site.page("index.html")
    assert "本站自己的页脚" in home and "政府信息公开条例》公开政府信息" not in home
    assert 'class="skip-link"' in home  # the rest still comes from the theme


def test_output_never_changes_with_title_or_category(site_root):
    site = make_site(site_root, {"a.md": doc(index_no="csj/2024-0000009")})
    site.build()
    site.write("a.md", doc(index_no="csj/2024-0000009", title="改过的标题", category="法定主动公开内容/法规文件"))
    site.build()
    assert "改过的标题" in site.page("doc/csj/2024-0000009/index.html")


def test_joint_agencies_and_pagination(site_root):
    docs = {f"d{i:02d}.md": doc(index_no=f"csj/2024-{i:07d}", date=f"2024-01-{i % 28 + 1:02d}",
                                agency="测试局、第二局") for i in range(45)}
    site = make_site(site_root, docs)
    site.build()
    second = site.page("fd/gh/page/2/index.html")
    third = site.page("fd/gh/page/3/index.html")
    assert second.count('<li>\n    <a href="../../../../doc/') == 20 and third.count("doc/csj/") == 5
    assert "测试局、第二局" in second
    assert site.page("agency/dej/index.html").count("doc/csj/") == 20


def test_lists_are_newest_first_with_ties_broken_by_index_number(site_root):
    site = make_site(site_root, {
        "x.md": doc(index_no="csj/2024-0000003", date="2024-03-01"),
        "y.md": doc(index_no="csj/2024-0000002", date="2024-05-01"),
        "z.md": doc(index_no="csj/2024-0000001", date="2024-03-01"),
    })
    site.build()
    page = site.page("fd/gh/index.html")
    order = sorted(("csj/2024-0000001", "csj/2024-0000002", "csj/2024-0000003"), key=page.index)
    assert order == ["csj/2024-0000002", "csj/2024-0000001", "csj/2024-0000003"]


def test_same_output_path_twice_is_refused(tmp_path):
    staging = Staging(tmp_path / "output")
    staging.write("a/index.html", b"1", "content/a.md")
    with pytest.raises(DoubleWrite) as info:
        staging.write("a/index.html", b"2", "content/b.md")
    assert (info.value.first, info.value.second) == ("content/a.md", "content/b.md")
    for escape in ("../x.html", "/etc/x", "a/../../x"):
        with pytest.raises(ValueError):
            staging.write(escape, b"", "content/c.md")
    staging.discard()
    assert not (tmp_path / "output").exists()


def test_colliding_category_pages_name_both_sources(site_root):
    config = """\
name: 测试专栏
base_url: https://example.gov.cn/
page_size: 1
agencies: [{name: 测试局, slug: csj}]
categories:
  - name: 栏目
    slug: lm
    children:
      - name: 子栏目
        slug: page
        children: [{name: 第二层, slug: "2"}]
"""
    site = make_site(site_root, {"a.md": doc(category="栏目"), "b.md": doc(index_no="csj/2", category="栏目")},
                     config=config)
    problems = site.build_fails()
    # A page made from config.yml: pointed at the column's slug there, both pages named.
    line, col = next((n, text.index('"2"') + 1) for n, text in enumerate(config.split("\n"), 1) if 'slug: "2"' in text)
    assert problems == [f"site/config.yml:{line}:{col}: 错误[E119]: 「公开目录 栏目/子栏目/第二层」生成的文件 lm/page/2/index.html 与 "
                        "「公开目录 栏目」生成的文件重名\n"
                        "  提示：两个来源不能生成同一个网址：修改其中一个的索引号或目录 slug。"]


def test_a_build_run_as_a_command_says_everything_before_it_ends(tmp_path):
    """`gongkai build` ends without freeing its objects one by one (cli._exit_now): what it
    printed, to a pipe too, is all there, the last line included, and the exit code is its own."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # output to a pipe is buffered
    result = subprocess.run([sys.executable, "-m", "gongkai", "build", "-v", "--output", str(tmp_path / "out")],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("构建完成：") and lines[-1].startswith("搜索索引：")
    assert result.stderr.rstrip().endswith("个警告（网站已生成）。")
    broken = tmp_path / "broken"
    shutil.copytree(ROOT / "content", broken / "content")
    (broken / "config.yml").write_text((ROOT / "config.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (broken / "content" / "坏.md").write_text("---\n标题: 缺少字段\n---\n正文\n", encoding="utf-8")
    failed = subprocess.run([sys.executable, "-m", "gongkai", "build", "--output", str(tmp_path / "out2")],
                            cwd=broken, env=env, capture_output=True, text=True, timeout=120)
    assert failed.returncode == 1 and failed.stderr.rstrip().endswith("output2/ 保持不变。".replace("output2", str(tmp_path / "out2")))


def test_cli_usage_error_exits_2(tmp_path):
    assert gongkai("publish", cwd=tmp_path).returncode == 2


def test_guide_rendered_from_config_and_linked_from_catalogue_entries(tmp_path):
    result = gongkai("build", "--output", str(tmp_path / "out"), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    guide = (tmp_path / "out/guide/index.html").read_text(encoding="utf-8")
    for row in ("<th scope=\"row\">受理机构</th><td>兰山区方城镇党政办公室</td>",
                "<th scope=\"row\">办公时间</th><td>周一至周五 上午 9:00—12:00，下午 13:00—17:00（法定节假日除外）</td>",
                "<th scope=\"row\">传真</th><td>0539-0000001（示例号码）</td>",
                "<th scope=\"row\">互联网联系方式</th><td>电子邮箱 xxgk@example.gov.cn（示例）</td>"):
        assert row in guide
    assert 'id="apply"' in guide and "下载政府信息公开申请表</a>（RTF）" in guide
    assert (tmp_path / "out/files/附件/政府信息公开申请表.rtf").read_bytes().startswith(b"{\\rtf1")
    entry = (tmp_path / "out/doc/lanshanqufczzf/2022-0000015/index.html").read_text(encoding="utf-8")
    assert '<a href="../../../guide/#apply">查看政府信息公开指南，了解申请方式</a>' in entry


def test_a_theme_cannot_change_what_search_finds(tmp_path):
    """postings/ (terms, filters, cards) is made from each document's search record, not from a
    template's output: a site whose search_record.html writes its tags in another order, or
    leaves the filters out, publishes the same postings/ (once, it emptied every filter)."""
    from gongkai.build import build
    default = tmp_path / "default"
    build(ROOT / "config.yml", ROOT / "content", default)
    own = tmp_path / "own"
    shutil.copytree(ROOT / "content", own / "content")
    shutil.copy(ROOT / "config.yml", own / "config.yml")
    (own / "templates").mkdir()
    theme = (ROOT / "themes/default/templates/search_record.html").read_text(encoding="utf-8")
    reordered = theme.replace('<meta name="gk:{{ name }}" content="{{ value }}" data-pagefind-filter="{{ name }}[content]">',
                              '<meta data-pagefind-filter="{{ name }}[content]" content="{{ value }}" name="gk:{{ name }}">')
    assert reordered != theme
    (own / "templates" / "search_record.html").write_text(reordered, encoding="utf-8")
    build(own / "config.yml", own / "content", own / "output")
    postings = {k: v for k, v in tree(default).items() if k.startswith(("postings/", "zh-hant/postings/"))}
    assert postings and postings == {k: v for k, v in tree(own / "output").items() if k in postings}
    assert any(b"agency=" in v for k, v in postings.items() if "/b/" in k)  # the filters are there


def test_a_template_error_names_the_page_it_was_rendering(site_root):
    site = make_site(site_root, {"a.md": doc()})
    (site.root / "templates").mkdir()
    theme = (ROOT / "themes/default/templates/document.html").read_text(encoding="utf-8")
    lines = theme.split("\n")
    lines.insert(3, "{{ doc.title.no_such_attribute.deeper }}")
    (site.root / "templates" / "document.html").write_text("\n".join(lines), encoding="utf-8")
    problems = site.build_fails()
    assert len(problems) == 1 and problems[0].startswith(
        "site/templates/document.html:4:1: 错误[E009]: 模板错误（生成索引号为「csj/2024-0000001」的文档时）："), problems


def test_every_first_level_name_the_build_writes_is_reserved(tmp_path):
    """config.RESERVED_SLUGS is what a first-level column may not be called: it must hold every
    folder and file the build writes at the top of the site (and of the 繁體 mirror), or a
    column could take one. A new page at the top of the site fails here until it is reserved."""
    from gongkai.build import build
    from gongkai.config import RESERVED_SLUGS, load_config
    from gongkai.errors import Report
    config_path = tmp_path / "config.yml"
    config_path.write_text((ROOT / "config.yml").read_text(encoding="utf-8") +
                           "federation:\n  - {name: 别的专栏, url: ../other/}\n", encoding="utf-8")
    out = tmp_path / "output"
    build(config_path, ROOT / "content", out)
    columns = {c.slug for c in load_config(config_path, Report()).categories}
    written = {p.name for p in out.iterdir()} | {p.name for p in (out / "zh-hant").iterdir()}
    assert written - columns - RESERVED_SLUGS == set()
