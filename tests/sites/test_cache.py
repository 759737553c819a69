"""The build cache never shows a stale page: after every kind of change, a build that reuses
the last one gives exactly the site a build from nothing gives, search index included."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from gongkai import output, workers
from gongkai.build import build
from gongkai.cache import location
from gongkai.errors import BuildFailed

ROOT = Path(__file__).resolve().parents[2]
THEME = ROOT / "themes" / "default" / "templates"
RULE = "content/法定主动公开内容/法规文件/行政规范性文件/lanshanqufczzf-2021-0000566.md"
READING = "content/法定主动公开内容/法规文件/政策解读/lanshanqufczzf-2021-0000567.md"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def column(tmp_path):
    """The sample column, with lists of two documents a page and search shards of three."""
    site = tmp_path / "site"
    shutil.copytree(ROOT / "content", site / "content")
    config = (ROOT / "config.yml").read_text(encoding="utf-8")
    assert "\npage_size: 20\n" in config
    (site / "config.yml").write_text(config.replace("\npage_size: 20\n", "\npage_size: 2\nsearch_shard_size: 3\n"),
                                     encoding="utf-8")
    return _Column(site, tmp_path)


class _Column:
    def __init__(self, root: Path, tmp: Path):
        self.root, self.tmp, self.colds = root, tmp, 0

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new), encoding="utf-8")

    def build(self, output: Path | None = None, **options):
        return build(self.root / "config.yml", self.root / "content", output or self.root / "output", **options)

    def same_as_cold(self):
        """Build again reusing the last build, then from nothing elsewhere: identical trees."""
        warm = self.build()
        self.colds += 1
        cold_out = self.tmp / f"cold-{self.colds}" / "output"
        ahead, output.LISTER.ahead = output.LISTER.ahead, False  # (a listing for the warm build's next)
        try:
            cold = self.build(cold_out)
        finally:
            output.LISTER.ahead = ahead
        assert cold.reused == 0
        warm_tree, cold_tree = tree(self.root / "output"), tree(cold_out)
        assert sorted(warm_tree) == sorted(cold_tree)
        stale = [name for name in warm_tree if warm_tree[name] != cold_tree[name]]
        assert stale == []
        assert [p.summary().split("用时")[0] for p in (warm,)] == [cold.summary().split("用时")[0]]
        return warm

    def page(self, rel: str) -> str:
        return (self.root / "output" / rel).read_text(encoding="utf-8")


def test_an_unchanged_column_is_not_built_again(column):
    first = column.build()
    again = column.build()
    assert again.unchanged and not first.unchanged
    assert re.fullmatch(r"构建完成：.*用时 [\d.]+ 秒（内容、模板和配置都没有变化，网站保持原样）", again.summary())
    assert again.summary().split("用时")[0] == first.summary().split("用时")[0]
    assert [p.format() for p in again.report.warnings] == [p.format() for p in first.report.warnings]


def test_one_document_edited(column):
    column.build()
    column.edit(RULE, "标题: 方城镇政务公开工作考核办法\n", "标题: 方城镇政务公开工作考核规定\n")
    result = column.same_as_cold()
    assert 0 < result.rendered < result.reused  # the other documents' pages were kept
    assert 0 < result.index.rebuilt < result.index.shards  # and so were the other search shards
    # Where the title shows: its page, the 解读 of it, the document it replaced, the lists.
    for page in ("doc/lanshanqufczzf/2021-0000567/index.html", "doc/lanshanqufczzf/2018-0000212/index.html",
                 "fdzdgknr/fgwj/xzgfxwj/index.html", "elder/fdzdgknr/fgwj/xzgfxwj/index.html",
                 "rules/current/index.html"):
        assert "方城镇政务公开工作考核规定" in column.page(page), page


def test_document_moved_to_a_sibling_column(column):
    """The parent column's first page shows the same documents, but its counts per child change."""
    column.build()
    old = "content/法定主动公开内容/法规文件/行政规范性文件/lanshanqufczzf-2018-0000212.md"
    column.edit(old, "公开目录: 法定主动公开内容/法规文件/行政规范性文件", "公开目录: 法定主动公开内容/法规文件/其他文件")
    parent = column.page("fdzdgknr/fgwj/index.html")
    column.same_as_cold()
    assert column.page("fdzdgknr/fgwj/index.html") != parent


def test_date_moved_to_another_year_and_shard(column):
    column.build()
    column.edit(READING, "发布日期: 2021-06-28", "发布日期: 2016-03-01")
    column.same_as_cold()
    assert "lanshanqufczzf/2021-0000567" not in column.page("year/2021/index.html")


def test_validity_change_reaches_the_annual_report(column):
    column.build()
    report = column.page("doc/lanshanqufczzf/2022-0000008/index.html")
    column.edit(RULE, "有效性: 有效", "有效性: 废止\n失效日期: 2021-12-01")
    column.same_as_cold()
    assert column.page("doc/lanshanqufczzf/2022-0000008/index.html") != report
    assert "lanshanqufczzf/2021-0000566" not in column.page("rules/current/index.html")


def test_template_changed(column):
    column.build()
    (column.root / "templates" / "partials").mkdir(parents=True)
    footer = (THEME / "partials" / "footer.html").read_text(encoding="utf-8")
    (column.root / "templates" / "partials" / "footer.html").write_text(
        footer.replace("</footer>", "<p>模板已改</p></footer>"), encoding="utf-8")
    result = column.same_as_cold()
    assert result.reused == 0
    assert "模板已改" in column.page("doc/lanshanqufczzf/2021-0000566/index.html")


def test_config_and_category_renamed(column):
    column.build()
    config = column.root / "config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("{name: 政策解读, slug: zcjd}", "{name: 政策解读材料, slug: zcjd}"),
                      encoding="utf-8")
    for path in column.root.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("法规文件/政策解读\n", "法规文件/政策解读材料\n"), encoding="utf-8")
    column.same_as_cold()
    assert "政策解读材料" in column.page("doc/lanshanqufczzf/2021-0000567/index.html")  # its breadcrumb


def test_document_deleted_and_added(column):
    column.build()
    title = re.search(r"标题: (.+)", (column.root / READING).read_text(encoding="utf-8")).group(1)
    (column.root / READING).unlink()
    column.same_as_cold()
    out = column.root / "output"
    assert not (out / "doc/lanshanqufczzf/2021-0000567").exists()
    assert not any(title.encode() in p.read_bytes() for p in out.rglob("*.html"))
    assert not any(b"2021-0000567" in p.read_bytes() for p in out.rglob("*.html"))
    (column.root / READING).write_text((ROOT / READING).read_text(encoding="utf-8"), encoding="utf-8")
    column.same_as_cold()
    assert (out / "doc/lanshanqufczzf/2021-0000567/index.html").is_file()


def test_damaged_cache_is_noticed_and_rebuilt(column):
    column.build()
    state = location(column.root / "output", column.root) / "state"
    state.write_bytes(state.read_bytes()[:-100] + b"x" * 100)
    (location(column.root / "output", column.root) / "last").write_bytes(b"garbage")
    column.edit(RULE, "主题分类: 政务公开", "主题分类: 政务公开 ")
    result = column.build()
    assert result.cache_damaged and result.reused == 0
    assert result.summary().startswith("构建缓存已损坏，已忽略并完整重新构建。\n构建完成：")
    column.same_as_cold()
    # The staging folder the damaged cache described is not trusted either.
    (column.root / READING).unlink()
    column.same_as_cold()


def test_output_edited_by_hand_is_not_trusted(column):
    column.build()
    page = column.root / "output" / "doc/lanshanqufczzf/2021-0000566/index.html"
    page.write_text("改坏了", encoding="utf-8")
    column.edit(READING, "主题分类: 政务公开", "主题分类: 政务公开 ")
    column.same_as_cold()
    assert "改坏了" not in page.read_text(encoding="utf-8")


def test_workers_render_what_one_process_renders(column, monkeypatch):
    monkeypatch.setattr(workers, "MIN_PARALLEL", 0)
    forked = column.build(column.tmp / "forked" / "output", processes=2)
    alone = column.build(column.tmp / "alone" / "output", processes=1)
    assert forked.rendered == alone.rendered > 0
    assert tree(column.tmp / "forked" / "output") == tree(column.tmp / "alone" / "output")


@pytest.fixture(params=["walked", "listed"])
def recycling(request, monkeypatch):
    """The staging folder settled by a walk after the build, or (make serve) from the listing
    made after the build before (output.Lister): the listed way must be taken when asked for."""
    listed = []
    if request.param == "listed":
        monkeypatch.setattr(output.LISTER, "ahead", True)
        settle = output.Staging._settle_listed
        monkeypatch.setattr(output.Staging, "_settle_listed", lambda self, found, mine: (self.listing is found and listed.append(1)) or settle(self, found, mine))
    yield listed
    assert bool(listed) == (request.param == "listed")


def test_staging_is_the_site_before_last_brought_up_to_date(column, recycling):
    """From the third build on, the staging folder is the site before last (kept in the
    cache, its files hard-linked with the live site's), not a fresh one: every build still
    equals one from nothing, and a build that fails half way leaves output/ as it was."""
    column.build()
    column.edit(RULE, "标题: 方城镇政务公开工作考核办法\n", "标题: 方城镇政务公开工作考核规定\n")
    column.same_as_cold()
    previous = location(column.root / "output", column.root) / "previous"
    assert previous.is_dir()
    column.edit(READING, "发布日期: 2021-06-28", "发布日期: 2016-03-01")
    column.same_as_cold()
    # Every page changes (the footer), and document pages fail: other pages are written into
    # the recycled folder first, over names it shares with output/.
    out = column.root / "output"
    before = tree(out)
    (column.root / "templates" / "partials").mkdir(parents=True)
    footer = (THEME / "partials" / "footer.html").read_text(encoding="utf-8")
    (column.root / "templates" / "partials" / "footer.html").write_text(
        footer.replace("</footer>", "<p>模板已改</p></footer>"), encoding="utf-8")
    document = (THEME / "document.html").read_text(encoding="utf-8")
    (column.root / "templates" / "document.html").write_text(
        document.replace("{% block main %}", "{% block main %}{{ doc.no_such_field }}", 1), encoding="utf-8")
    with pytest.raises(BuildFailed):
        column.build()
    assert tree(out) == before
    assert previous.is_dir()
    shutil.rmtree(column.root / "templates")
    column.edit(RULE, "标题: 方城镇政务公开工作考核规定\n", "标题: 方城镇政务公开工作考核办法\n")
    column.same_as_cold()
    (column.root / READING).unlink()
    column.same_as_cold()
    assert not (out / "doc/lanshanqufczzf/2021-0000567").exists()


def test_unchanged_files_are_not_read_again(tmp_path):
    """A file whose size, time and inode the last build saw is not hashed again; a file
    changed in the last two seconds is not remembered (it may change again in the same tick)."""
    from gongkai.build import _tree_hash
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text("旧", encoding="utf-8")
    new.write_text("新", encoding="utf-8")
    os.utime(old, ns=(10**18, 10**18))
    stats: dict = {}
    _tree_hash([tmp_path], {}, {}, stats)
    assert list(stats) == [str(old)]
    known = {str(old): stats[str(old)]._replace(sha256="remembered")}
    digests: dict = {}
    _tree_hash([tmp_path], digests, known, {})
    assert digests[str(old)] == "remembered"  # not read
    old.write_text("改", encoding="utf-8")
    os.utime(old, ns=(10**18 + 1, 10**18 + 1))
    _tree_hash([tmp_path], digests, known, {})
    assert digests[str(old)] != "remembered"


def test_the_next_day_renders_only_what_shows_the_date(column, monkeypatch):
    """The build date shows on the rules pages and decides validity; a build on the next day
    renders those again and reuses the rest, and equals a build from nothing on that day."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01 Beijing time
    first = column.build()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1767225600 + 86400))
    result = column.same_as_cold()
    assert not result.unchanged and 0 < result.rendered < first.rendered / 4
    assert "截至 2026年1月2日" in column.page("rules/current/index.html")



def test_a_listing_is_not_trusted_after_another_build_wrote_into_the_folder(column, monkeypatch):
    """make serve lists the next staging folder after each build; a build of another process
    (make, say) that recycled that folder meanwhile, even one that failed half way, makes the
    listing worthless: serve's next build walks the folder again."""
    monkeypatch.setattr(output.LISTER, "ahead", True)
    column.build()
    column.edit(RULE, "标题: 方城镇政务公开工作考核办法\n", "标题: 方城镇政务公开工作考核规定\n")
    column.build()  # lists the folder it will recycle next
    cache = location(column.root / "output", column.root)
    assert (cache / "listed").is_file()
    output.forget(cache / "listed")  # what every build does before it writes into the folder
    column.edit(RULE, "标题: 方城镇政务公开工作考核规定\n", "标题: 方城镇政务公开工作考核办法\n")
    settle = output.Staging._settle_listed
    used = []
    monkeypatch.setattr(output.Staging, "_settle_listed", lambda self, found, mine: (self.listing is found and used.append(1)) or settle(self, found, mine))
    column.same_as_cold()
    assert used == []


def test_the_recycled_folder_keeps_nothing_it_should_not(column, recycling):
    """What a deploy step put into output/ does not come back two builds later, and a path
    that changes between file and folder does not trip the recycled staging folder."""
    static = column.root / "static"
    static.mkdir()
    (static / "extra").write_text("a file", encoding="utf-8")
    column.build()
    (column.root / "output" / "index.html.gz").write_bytes(b"deployed")
    column.edit(RULE, "主题分类: 政务公开", "主题分类: 政务公开 ")
    column.same_as_cold()
    (static / "extra").unlink()
    (static / "extra").mkdir()
    (static / "extra" / "a.css").write_text("body{}", encoding="utf-8")
    column.same_as_cold()  # recycles the first site: static/extra is a file there
    column.edit(RULE, "主题分类: 政务公开 ", "主题分类: 政务公开")
    column.same_as_cold()  # recycles the second: the deployed file is there
    shutil.rmtree(static / "extra")
    (static / "extra").write_text("a file again", encoding="utf-8")
    column.same_as_cold()  # recycles the third: static/extra is a folder there
    column.same_as_cold()
    assert not (column.root / "output" / "index.html.gz").exists()
