"""Hostile and careless input, as an attacker or a tired clerk would try it (issue 14): every
case ends in a coded message or a normal build, nothing withheld leaves, nothing written is lost,
and a failed build leaves output/ as it was, byte for byte."""
from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import xml.dom.minidom
from pathlib import Path

import pytest

from gongkai import cache as cache_module, disclosure, output as output_module, schema
from gongkai.model import Document
from helpers import CONFIG, doc, make_site
from scan import leaks
from test_gate import ON_REQUEST, WITHHELD, assert_gate_holds, canary_site

ROOT = Path(__file__).resolve().parents[2]


def gongkai(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "gongkai", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr + result.stdout, result.stderr


# 1. Output over the sources -------------------------------------------------------------------

@pytest.mark.parametrize("output", ["content", ".", "content/sub", "..", ".gongkai-cache", "templates"])
def test_output_over_the_sources_is_refused_before_anything_is_touched(site_root, output):
    site = make_site(site_root, {"a.md": doc()})
    (site.root / "templates").mkdir()
    before = tree(site.root)
    for _ in range(2):  # the old code deleted every .md on the second build
        result = gongkai("build", "--output", output, cwd=site.root)
        no_traceback(result)
        assert result.returncode == 1
        assert "错误[E012]" in result.stderr and "重叠" in result.stderr
    after = {rel: data for rel, data in tree(site.root).items() if not rel.endswith(".lock")}  # the build lock
    assert after == before


# 2. Sources and withheld files as attachments -------------------------------------------------

def test_a_markdown_source_is_never_an_attachment(site_root):
    site = make_site(site_root, {
        "w.md": doc(title="内部", index_no="csj/w", mode="不予公开", body=WITHHELD["body"]),
        "public.md": doc(index_no="csj/p", 附件="w.md"),
        "hidden.md": doc(index_no="csj/h", 附件=".env"),
    })
    (site.content / ".env").write_text("SECRET=1", encoding="utf-8")
    errors = site.build_fails()
    assert any(e.startswith("site/content/public.md:8:") and "E127" in e and "「w.md」不能作为附件" in e for e in errors)
    assert any(e.startswith("site/content/hidden.md:8:") and "E127" in e for e in errors)


def test_an_attachment_of_a_withheld_document_is_not_published_through_another(site_root):
    site = make_site(site_root, {
        "w.md": doc(title="内部", index_no="csj/w", mode="不予公开", 附件="secret.txt"),
        "r.md": doc(title="依申请", index_no="csj/r", mode="依申请公开", 附件="req.txt"),
        "public.md": doc(index_no="csj/p", 附件="[secret.txt, req.txt]"),
    })
    (site.content / "secret.txt").write_text(WITHHELD["attachment"], encoding="utf-8")
    (site.content / "req.txt").write_text(ON_REQUEST["attachment"], encoding="utf-8")
    errors = site.build_fails()
    assert sum("E128" in e and e.startswith("site/content/public.md:8:") for e in errors) == 2


def test_the_guide_form_cannot_be_a_source_or_a_withheld_attachment(site_root):
    guide = ("guide:\n  office: 办公室\n  address: 地址\n  hours: 工作日\n  phone: '1'\n  fax: '2'\n"
             "  online: a@b.cn\n  form: {form}\n")
    for form, code in (("w.md", "E127"), ("secret.txt", "E128")):
        site = make_site(site_root, {"w.md": doc(title="内部", index_no="csj/w", mode="不予公开", 附件="secret.txt")},
                         config=CONFIG + guide.format(form=form))
        (site.content / "secret.txt").write_text(WITHHELD["attachment"], encoding="utf-8")
        assert any(code in e for e in site.build_fails()), form


# 4. The cache is kept with the sources, as data --------------------------------------------------

def test_a_web_root_holds_no_withheld_canary_cache_included(tmp_path, monkeypatch):
    """Sources in one place, the site built into a folder of a web root: after builds that
    publish and then withdraw a document, nothing under the web root holds a withheld canary."""
    monkeypatch.chdir(tmp_path)
    site = canary_site(tmp_path / "sources")
    web_root = tmp_path / "var/www/html"
    site_output = web_root / "xxgk"
    from gongkai.build import build
    build(site.config, site.content, site_output)
    build(site.config, site.content, site_output)
    # Withdraw a public document: its page must not survive anywhere under the web root either.
    public = site.content / "public.md"
    public.write_text(public.read_text(encoding="utf-8").replace("公开方式: 主动公开", "公开方式: 不予公开"),
                      encoding="utf-8")
    build(site.config, site.content, site_output)
    needles = list(WITHHELD.values()) + list(ON_REQUEST.values()) + ["PUBLIC-BODY-OK"]
    assert leaks(web_root, needles) == {}
    assert sorted(p.name for p in web_root.iterdir()) == ["xxgk"]  # no cache, no staging beside it
    assert (tmp_path / "sources" / ".gongkai-cache").is_dir()


def test_the_cache_is_data_and_a_tampered_file_runs_nothing(site_root, tmp_path):
    site = make_site(site_root, {"a.md": doc()})
    site.build()
    folder = cache_module.location(site.output, site.root)
    for name in ("state", "last"):
        data = (folder / name).read_bytes()
        assert b"pickle" not in data and not data[len(cache_module._MAGIC) + 32:].startswith(b"\x80")
    # A pickle that would create a file when unpickled, with a valid checksum: read as damage.
    import hashlib
    import pickle

    class Evil:
        def __reduce__(self):
            return (open, (str(tmp_path / "pwned"), "w"))
    payload = pickle.dumps((cache_module.FORMAT, Evil()))
    (folder / "state").write_bytes(cache_module._MAGIC + hashlib.sha256(payload).digest() + payload)
    (folder / "last").write_bytes(cache_module._MAGIC + hashlib.sha256(payload).digest() + payload)
    result = site.build()
    assert result.cache_damaged and not (tmp_path / "pwned").exists()


# 5. The gate is an allow-list -------------------------------------------------------------------

def test_every_schema_field_declares_whether_it_is_public_on_request():
    assert [f.key for f in schema.FIELDS if not isinstance(f.on_request, bool)] == []


def test_every_document_attribute_is_a_schema_field_or_declared_structural():
    import dataclasses
    names = {f.name for f in dataclasses.fields(Document)}
    assert names == {f.name for f in schema.FIELDS} | set(disclosure.STRUCTURAL) | {"ended"}


def test_a_catalogue_entry_holds_only_what_the_schema_allows(site_root):
    site = make_site(site_root, {"r.md": doc(mode="依申请公开", 摘要="SUMMARY-X", 关键词="[KEY-X]")})
    from gongkai.config import load_config
    from gongkai.content import load_documents
    from gongkai.errors import Report
    report = Report()
    docs = load_documents(load_config(site.config, report), site.content, report)
    entry = disclosure.publishable(docs)[0]
    for field in schema.FIELDS:
        if not field.on_request:
            assert getattr(entry, field.name) in (None, (), ""), field.key
    assert entry.body == "" and entry.title == "测试文件"


def test_no_stage_reads_a_body_the_gate_did_not_release():
    held = Document(source=Path("/nonexistent.md"), title="t", index_no="i", category=None, agencies=(),
                    date=None, mode="依申请公开", body=None)
    with pytest.raises(TypeError):
        disclosure.body(held)
    # Only the gate reads a body from content/: no other module names the reader.
    package = Path(disclosure.__file__).parent
    users = sorted(p.name for p in package.glob("*.py") if "read_body" in p.read_text(encoding="utf-8"))
    assert users == ["content.py", "disclosure.py"]


# 6. A failed swap leaves the old site, byte for byte -----------------------------------------------

@pytest.mark.parametrize("failing", ["exchange-and-rename", "put-away"])
def test_a_refused_swap_leaves_the_old_site(site_root, monkeypatch, failing):
    site = make_site(site_root, {"a.md": doc(title="第一版")})
    site.build()
    site.build()  # now a site before last exists in the cache too
    before = tree(site.output)
    site.write("a.md", doc(title="第二版"))
    real_rename = os.rename

    def refuse(src, dst, *args, **kwargs):
        if failing == "exchange-and-rename" and Path(src) == site.output.resolve():  # cannot be moved away
            raise PermissionError(errno.EACCES, "Permission denied", str(src))
        if failing == "put-away" and ".gongkai-cache" in str(dst):
            raise PermissionError(errno.EACCES, "Permission denied", str(dst))
        return real_rename(src, dst, *args, **kwargs)
    monkeypatch.setattr(output_module, "_exchange", lambda a, b: False)
    monkeypatch.setattr(output_module.os, "rename", refuse)
    if failing == "exchange-and-rename":
        from gongkai.errors import BuildFailed
        with pytest.raises(BuildFailed) as failed:
            site.build()
        assert [p.code for p in failed.value.report.errors] == ["E013"]
        assert tree(site.output) == before
    else:  # the new site is published; the old one, which could not go into the cache, is removed
        site.build()
        assert "第二版" in site.page("doc/csj/2024-0000001/index.html")
    assert [p.name for p in site.root.iterdir() if ".staging-" in p.name] == []


# 7. Control characters ----------------------------------------------------------------------------

@pytest.mark.parametrize("char", ["\x0b", "\x00", "\x1b", "\ufffe", "\x85"])
def test_control_characters_in_metadata_are_refused_where_they_are(site_root, char):
    escaped = json.dumps(f"标题{char}后半", ensure_ascii=True)  # as a YAML escape
    site = make_site(site_root, {"a.md": doc(title=escaped), "b.md": doc(index_no="csj/b", 摘要=escaped)})
    errors = site.build_fails()
    assert any(e.startswith("site/content/a.md:2:") and "E129" in e and f"U+{ord(char):04X}" in e for e in errors)
    assert any(e.startswith("site/content/b.md:") and "E129" in e for e in errors)


def test_control_characters_typed_raw_are_refused_in_metadata_and_removed_from_the_body(site_root):
    site = make_site(site_root, {"a.md": doc(title="标题\x0b后半"),
                                 "b.md": doc(index_no="csj/b", body="第一段\x0b接着\x00写\n")})
    errors = site.build_fails()
    assert errors == ["site/content/a.md:2:7: 错误[E129]: 元数据中有看不见的控制字符 U+000B\n"
                      "  提示：这类字符常从 Word 或网页粘贴而来：删除这一行的这个位置，或者把这一行重新输入一遍。"]
    site.write("a.md", doc(title="标题后半"))
    result = site.build()
    assert any(p.code == "W214" and p.line == 10 for p in result.report.warnings)
    assert "第一段接着写" in site.page("doc/csj/b/index.html")
    assert_well_formed(site.output)


def assert_well_formed(output: Path) -> None:
    """Every XML and JSON file the build wrote parses."""
    checked = 0
    for path in output.rglob("*"):
        if path.suffix == ".xml":
            xml.dom.minidom.parseString(path.read_bytes())
            checked += 1
        elif path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
            checked += 1
    assert checked > 3


# 9. Every output path has one owner ---------------------------------------------------------------

def test_a_file_and_a_folder_of_the_same_name_collide(site_root):
    site = make_site(site_root, {"x.md": doc(index_no="x"), "y.md": doc(index_no="x/index.html")})
    errors = site.build_fails()
    assert any("E119" in e and "doc/x/index.html" in e for e in errors)


@pytest.mark.parametrize("slug", ["index.html"])
def test_slugs_that_name_a_generated_file_collide(site_root, slug):
    config = CONFIG.replace("  - {name: 第二局, slug: dej}", f"  - {{name: 第二局, slug: {slug}}}")
    site = make_site(site_root, {"a.md": doc(agency="第二局")}, config=config)
    errors = site.build_fails()
    assert any("E119" in e for e in errors), errors


@pytest.mark.parametrize("slug", [".search-records", "..", ".hidden", "a b"])
def test_slugs_outside_the_allow_list_are_refused(site_root, slug):
    config = CONFIG.replace("  - {name: 第二局, slug: dej}", f"  - {{name: 第二局, slug: '{slug}'}}")
    site = make_site(site_root, {"a.md": doc()}, config=config)
    assert any("E005" in e and "网址目录名" in e for e in site.build_fails())


# 10. File-system states and faults ------------------------------------------------------------------

def test_file_system_oddities_in_content_are_coded_messages(site_root):
    site = make_site(site_root, {"a.md": doc()})
    os.mkfifo(site.content / "fifo.md")
    (site.content / "loop.md").symlink_to(site.content / "loop.md")
    (site.content / "broken.md").symlink_to(site.content / "missing.md")
    site.write("long.md", doc(index_no="csj/" + "长" * 90))
    result = gongkai("build", cwd=site.root, timeout=60)  # the old code blocked on the pipe for ever
    no_traceback(result)
    assert result.returncode == 1
    for name, code in (("fifo.md", "E131"), ("loop.md", "E131"), ("broken.md", "E131"), ("long.md", "E130")):
        assert f"content/{name}:" in result.stderr and code in result.stderr.split(f"content/{name}:")[1][:40], name


@pytest.mark.parametrize("epoch", ["99999999999999999999", "-5", "abc", "1e9"])
def test_an_unusable_source_date_epoch_is_a_coded_error(site_root, epoch):
    site = make_site(site_root, {"a.md": doc()})
    env_result = subprocess.run([sys.executable, "-m", "gongkai", "build"], cwd=site.root, capture_output=True,
                                text=True, env={**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": epoch},
                                timeout=60)
    no_traceback(env_result)
    assert env_result.returncode == 1 and "E016" in env_result.stderr


def test_an_index_number_too_long_for_an_address_is_a_coded_error(site_root):
    """Short parts, many of them: every folder name fits, the address does not (nor the page's
    QR code, which once failed the build as an internal error)."""
    site = make_site(site_root, {"long.md": doc(index_no="/".join(["ab"] * 400))})
    assert site.build_fails() == [
        f"site/content/long.md:3:6: 错误[E130]: 索引号「{'ab/' * 20}…」太长，做不成网址（编码后共 1199 字节，上限 1000）\n"
        "  提示：索引号一般是「机构代码/年份-序号」，写短一些。",
    ]


def test_a_build_date_that_does_not_exist_is_a_coded_error(site_root, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    site = make_site(site_root, {"a.md": doc()}, config=CONFIG + "build_date: 2021-02-30\n")
    assert any("E005" in e and "2021-02-30" in e for e in site.build_fails())


def test_a_full_disk_is_a_coded_error_and_the_old_site_stays(site_root, monkeypatch):
    site = make_site(site_root, {"a.md": doc(title="第一版")})
    site.build()
    before = tree(site.output)
    site.write("a.md", doc(title="第二版"))

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", "somewhere")
    monkeypatch.setattr(output_module.shutil, "copyfile", full)
    site.write("b.txt", "附件")
    site.write("a.md", doc(title="第二版", 附件="b.txt"))
    from gongkai.errors import BuildFailed
    with pytest.raises(BuildFailed) as failed:
        site.build()
    assert [(p.code, p.hint) for p in failed.value.report.errors] == [("E013", "磁盘已满：清理磁盘空间后重新构建。")]
    assert tree(site.output) == before


# 13. Leftovers of a killed build ---------------------------------------------------------------------

def test_staging_folders_a_killed_build_left_are_removed(site_root):
    site = make_site(site_root, {"a.md": doc()})
    left = site.root / ".output.staging-abc123"
    (left / "doc/withdrawn").mkdir(parents=True)
    (left / "doc/withdrawn/index.html").write_text(WITHHELD["body"], encoding="utf-8")
    other = site.root / ".other.staging-abc123"  # another output's: not ours to touch
    other.mkdir()
    site.build()
    assert not left.exists() and other.exists()


# 14. The same input gives the same bytes on any file system --------------------------------------------

def test_byte_identical_on_tmpfs_and_disk(tmp_path, monkeypatch):
    shm = Path("/dev/shm")
    if not shm.is_dir() or os.stat(shm).st_dev == os.stat(tmp_path).st_dev:
        pytest.skip("no second file system here")
    monkeypatch.chdir(tmp_path)
    site = make_site(tmp_path / "site", {f"d{i}.md": doc(title=f"文件{i}", index_no=f"csj/2024-{i:07d}",
                                                          主题分类=f"类{i % 3}", body=f"正文{i}")
                                         for i in range(12)})
    import tempfile
    from gongkai.build import build
    with tempfile.TemporaryDirectory(dir=shm) as fast:
        build(site.config, site.content, Path(fast) / "output")
        build(site.config, site.content, tmp_path / "disk" / "output")
        assert tree(Path(fast) / "output") == tree(tmp_path / "disk" / "output")


# 15. Links out of the project ----------------------------------------------------------------------------

def test_static_links_out_of_the_project_are_refused(site_root):
    site = make_site(site_root, {"a.md": doc()})
    (site.root / "static").mkdir()
    (site.root / "static" / "passwd.txt").symlink_to("/etc/passwd")
    errors = site.build_fails()
    assert errors == ["site/static/passwd.txt:1:1: 错误[E015]: 静态文件是指向项目以外的链接、损坏的链接，或者不是普通文件\n"
                      "  提示：把文件本身放进 static/；不要用链接引用项目以外的文件。"]
    assert not site.output.exists()


# 16. Full-width 索引号 ---------------------------------------------------------------------------------

def test_full_width_index_numbers_are_one_number_wherever_written(site_root):
    site = make_site(site_root, {
        "rule.md": doc(index_no="ＣＳＪ／２０２４－０００１", category="法定主动公开内容/法规文件/行政规范性文件"),
        "reading.md": doc(title="解读", index_no="csj/2024-0002", 解读对象="CSJ/2024-0001"),
    })
    site.build()
    assert (site.output / "doc/CSJ/2024-0001/index.html").is_file()
    assert "解读" in site.page("doc/CSJ/2024-0001/index.html")
    site.write("twin.md", doc(index_no="CSJ/2024-0001"))
    assert any("E113" in e for e in site.build_fails())


# The canaries still hold with the cache beside the sources --------------------------------------------

def test_gate_holds_after_the_hardening(site_root):
    site = canary_site(site_root)
    site.build()
    assert_gate_holds(site)


def test_an_unforeseen_error_is_one_coded_line_not_a_traceback(site_root, monkeypatch, capsys):
    from gongkai import cli

    def broken(*args, **kwargs):
        raise RuntimeError("something nobody foresaw")
    monkeypatch.setattr(cli, "build", broken)
    make_site(site_root, {"a.md": doc()})
    monkeypatch.chdir(site_root)
    assert cli.main(["build"]) == 3  # not the content's fault
    err = capsys.readouterr().err
    assert "错误[E014]: Gongkai 内部错误（RuntimeError）" in err and "Traceback" not in err
    saved = Path(err.split("错误详情文件 ")[1].split(" ")[0])
    assert "something nobody foresaw" in saved.read_text(encoding="utf-8")
    saved.unlink()


def test_a_failing_pagefind_exits_3_and_content_errors_1(site_root, monkeypatch, capsys):
    """E010 is not the editor's to fix: the build says so by its exit code (3), and only then;
    with a content error beside it, the content error decides (1)."""
    from gongkai import cli, search

    def crash(*args, **kwargs):
        raise search.SearchIndexFailed("Pagefind 建立索引失败：Pagefind 程序没有运行起来，或者中途退出")
    monkeypatch.setattr(search, "build_shard", crash)
    site = make_site(site_root, {"a.md": doc()})
    monkeypatch.chdir(site_root)
    assert cli.main(["build"]) == 3
    assert "错误[E010]" in capsys.readouterr().err
    site.write("b.md", doc(index_no="csj/b", date="明天"))
    assert cli.main(["build"]) == 1


def test_attachment_names_the_file_system_cannot_hold_are_coded_messages(site_root):
    site = make_site(site_root, {"a.md": doc(附件="长" * 100 + ".pdf"), "b.md": doc(index_no="csj/b", 附件='"a\\0b.pdf"'),
                                 "c.md": doc(index_no="csj/c", 附件="pipe.pdf")})
    os.mkfifo(site.content / "pipe.pdf")  # copying it would block for ever
    errors = site.build_fails()
    assert any(e.startswith("site/content/a.md:8:") and "E114" in e for e in errors)
    assert any(e.startswith("site/content/b.md:8:") and "E129" in e for e in errors)
    assert any(e.startswith("site/content/c.md:8:") and "E114" in e for e in errors)


def test_control_characters_in_config_are_refused_where_they_are(site_root):
    site = make_site(site_root, {"a.md": doc()}, config=CONFIG.replace("name: 测试专栏", 'name: "测试\\v专栏"'))
    assert site.build_fails() == ["site/config.yml:1:7: 错误[E002]: 配置文件中有看不见的控制字符 U+000B\n"
                                  "  提示：删除这个字符，或者把这一项重新输入一遍。"]


def test_a_sub_column_named_like_its_parents_feed_collides(site_root):
    config = CONFIG.replace("{name: 规划计划, slug: gh}", "{name: 规划计划, slug: feed.xml}")
    site = make_site(site_root, {"a.md": doc()}, config=config)
    errors = site.build_fails()
    assert any("E119" in e and "fd/feed.xml" in e for e in errors), errors


def test_an_index_number_naming_a_report_table_collides(site_root):
    site = make_site(site_root, {"r.md": doc(index_no="R", 年报="{年度: 2023, 行政许可: 3}"),
                                 "t.md": doc(index_no="R/table-2.csv")})
    errors = site.build_fails()
    assert any("E119" in e and "doc/R/table-2.csv" in e for e in errors), errors


def _chattr(flag: str, path: Path) -> bool:
    try:
        return subprocess.run(["chattr", flag, str(path)], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


@pytest.mark.parametrize("frozen", ["output", "cache"])
def test_an_immutable_output_or_cache_folder_fails_cleanly_and_keeps_the_old_site(site_root, frozen):
    site = make_site(site_root, {"a.md": doc(title="第一版")})
    site.build()
    site.build()
    before = tree(site.output)
    folder = site.output if frozen == "output" else cache_module.location(site.output, site.root)
    if not _chattr("+i", folder):
        pytest.skip("chattr +i needs root and a file system that supports it")
    try:
        site.write("a.md", doc(title="第二版"))
        result = gongkai("build", cwd=site.root)
        no_traceback(result)
        assert result.returncode == 3 and "错误[E013]" in result.stderr and "chattr +i" in result.stderr
        assert tree(site.output) == before
    finally:
        _chattr("-i", folder)
    assert [p.name for p in site.root.iterdir() if ".staging-" in p.name] == []
    site.build()  # and once the folder can be changed again, the build goes through
    assert "第二版" in site.page("doc/csj/2024-0000001/index.html")


def test_the_cache_of_an_output_folder_that_is_gone_is_removed(site_root):
    site = make_site(site_root, {"a.md": doc()})
    from gongkai.build import build
    gone = site.root / "preview"
    build(site.config, site.content, gone)
    build(site.config, site.content, gone)
    old = cache_module.location(gone, site.root)
    assert (old / "state").is_file()
    import shutil
    shutil.rmtree(gone)
    site.build()
    assert not old.exists()
    names = sorted(p.name for p in (site.root / ".gongkai-cache").iterdir())
    mine = cache_module.location(site.output, site.root).name
    assert names == sorted([mine, f".{mine}.lock"])


def test_feeds_and_data_files_are_well_formed_whatever_reaches_them(site_root, monkeypatch):
    """The writer's last line: a control character that reached a feed some other way is dropped."""
    from gongkai import workers
    assert workers._well_formed("feed.xml", "<t>a\x0bb\x00c</t>".encode()) == b"<t>abc</t>"
    assert workers._well_formed("catalogue.json", '["\x1b"]'.encode()) == b'[""]'
    assert workers._well_formed("doc/x/index.html", b"\x0b") == b"\x0b"  # pages are HTML, parsed leniently


def test_the_new_content_messages_word_for_word(site_root):
    """The codes and texts are an interface (tests/unit/test_messages.py holds the older ones)."""
    site = make_site(site_root, {
        "w.md": doc(title="内部", index_no="csj/w", mode="不予公开", 附件="secret.txt"),
        "a.md": doc(index_no="csj/a", 附件="w.md"),
        "b.md": doc(index_no="csj/b", 附件="secret.txt"),
        "c.md": doc(index_no="csj/" + "长" * 90),
    })
    (site.content / "secret.txt").write_text("x", encoding="utf-8")
    os.mkfifo(site.content / "fifo.md")
    assert site.build_fails() == [
        "site/content/a.md:8:5: 错误[E127]: 「w.md」不能作为附件：它是文档的源文件或隐藏文件\n"
        "  提示：附件是要下载的文件（PDF、Word、表格等）；要引用另一篇文档，在正文中写它的链接。",
        "site/content/b.md:8:1: 错误[E128]: 附件「secret.txt」也是 site/content/w.md 的附件，而那篇文件不予公开\n"
        "  提示：公开的文件和不公开的文件不能共用附件：确认这个附件可以公开后，给公开的文件另存一份。",
        f"site/content/c.md:3:6: 错误[E130]: 索引号「csj/{'长' * 56}…」太长，做不成网址（其中一段编码后有 810 字节，上限 255）\n"
        "  提示：索引号用 / 分段，每段写短一些：索引号一般是「机构代码/年份-序号」。",
        "site/content/fifo.md:1:1: 错误[E131]: 这不是普通文件（可能是管道或设备文件），无法读取\n"
        "  提示：删除它；文档要保存成普通的文本文件。",
    ]
    overlap = gongkai("build", "--output", "content", cwd=site.root)
    assert overlap.stderr == ("config.yml:1:1: 错误[E012]: 输出目录「content」与内容目录「content」重叠\n"
                              "  提示：构建会整个替换输出目录，里面不能有内容、配置、模板或缓存：换一个输出目录，例如 output/。\n"
                              "构建失败：共 1 个错误，content/ 保持不变。\n")
    epoch = subprocess.run([sys.executable, "-m", "gongkai", "build"], cwd=site.root, capture_output=True, text=True,
                           env={**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "abc"}, timeout=60)
    assert epoch.stderr == ("config.yml:1:1: 错误[E016]: 环境变量 SOURCE_DATE_EPOCH「abc」不是有效的时间\n"
                            "  提示：SOURCE_DATE_EPOCH 写 1970 年以来的秒数（例如 1735689600 是 2025-01-01），或者不设置它。\n"
                            "构建失败：共 1 个错误，output/ 保持不变。\n")


def test_untidy_leftovers_after_publishing_are_a_warning_word_for_word(site_root, monkeypatch):
    """The new site stands; a cache that cannot be saved only costs the next build its speed (W215)."""
    site = make_site(site_root, {"a.md": doc(title="第一版")})
    site.build()
    site.write("a.md", doc(title="第二版"))

    def refuse(self, state):
        raise PermissionError(errno.EACCES, "Permission denied", str(self.root / "state"))
    monkeypatch.setattr(cache_module.Cache, "save", refuse)
    result = site.build()
    assert "第二版" in site.page("doc/csj/2024-0000001/index.html")
    folder = cache_module.location(site.output, site.root)
    assert [p.format() for p in result.report.warnings if p.code == "W215"] == [
        f"{os.path.relpath(folder)}:1:1: 警告[W215]: 网站已更新，但构建缓存或上一版网站没能整理：{folder / 'state'}: Permission denied\n"
        "  提示：下一次构建会完整重新生成并再次清理；检查这个目录的权限和磁盘空间。"]


def test_a_collision_made_by_a_slug_points_at_config(site_root):
    """A page made from config.yml (an agency's list) has no file of its own: the message points
    at the agency in config.yml and names both pages, not a label in the file's place."""
    config = CONFIG.replace("  - {name: 第二局, slug: dej}", "  - {name: 第二局, slug: index.html}")
    site = make_site(site_root, {"a.md": doc(agency="第二局")}, config=config)
    line, col = next((n, text.index("index.html") + 1) for n, text in enumerate(config.split("\n"), 1)
                     if "slug: index.html" in text)
    errors = site.build_fails()
    assert errors == [f"site/config.yml:{line}:{col}: 错误[E119]: 「发布机构 第二局」生成的文件 agency/index.html 与 "
                      "「发布机构索引」生成的文件重名\n  提示：两个来源不能生成同一个网址：修改其中一个的索引号或目录 slug。"], errors
