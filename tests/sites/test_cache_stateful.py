"""Random sequences of edits, as editors and maintainers make them over weeks, and after each
one the incremental build gives exactly what a build from nothing gives, byte for byte (or fails
with exactly the same messages). tests/sites/test_cache.py covers each kind of edit on its own;
this covers them in any order and combination.

Edits: a document's title, body, date, 公开方式, deletion and return; config.yml's page size,
empty columns and 繁體 mirror; a site template and a site static file (added, changed, removed);
the build date. Sequences: GONGKAI_FUZZ_EXAMPLES of them (default 3, six edits each;
derandomised under CI like the other hypothesis tests).
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from gongkai.build import build
from gongkai.errors import BuildFailed

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "content").rglob("*.md"))
EXAMPLES = int(os.environ.get("GONGKAI_FUZZ_EXAMPLES") or 3)
# Build dates (SOURCE_DATE_EPOCH): before and after documents' 有效期至, and a day apart.
DATES = ["1656633600", "1767225600", "1767312000", "1893456000"]
FOOTER = '<footer class="site-footer"><p>本站页脚 {n}</p></footer>\n'


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def outcome(site: Path, output: Path):
    """The site built into `output`: its files, or the messages it failed with."""
    try:
        build(site / "config.yml", site / "content", output)
    except BuildFailed as failed:
        return "failed", failed.report.format()
    return "built", tree(output)


class Editing(RuleBasedStateMachine):
    @initialize()
    def start(self):
        self.tmp = Path(os.environ["GONGKAI_STATEFUL_TMP"]) / f"run-{id(self)}"
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.site = self.tmp / "site"
        shutil.copytree(ROOT / "content", self.site / "content")
        shutil.copy(ROOT / "config.yml", self.site / "config.yml")
        self.colds = 0
        self.epoch = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = DATES[1]
        outcome(self.site, self.site / "output")

    def teardown(self):
        if self.epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = self.epoch
        shutil.rmtree(getattr(self, "tmp", Path("/nonexistent")), ignore_errors=True)

    def _edit(self, rel: str, pattern: str, replacement: str) -> None:
        path = self.site / rel
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            path.write_text(re.sub(pattern, replacement, text, count=1, flags=re.M), encoding="utf-8")

    @rule(source=st.sampled_from(SOURCES), n=st.integers(0, 3))
    def retitle(self, source, n):
        self._edit(source, r"^(标题: .*?)(（修订\d）)?$", rf"\1（修订{n}）")

    @rule(source=st.sampled_from(SOURCES), words=st.sampled_from(["防汛工作要求", "政务公开", "第二段"]))
    def add_paragraph(self, source, words):
        path = self.site / source
        if path.is_file():
            path.write_text(path.read_text(encoding="utf-8") + f"\n{words}。\n", encoding="utf-8")

    @rule(source=st.sampled_from(SOURCES), year=st.sampled_from(["2016", "2019", "2021", "2022"]))
    def redate(self, source, year):
        self._edit(source, r"^发布日期: \d{4}", f"发布日期: {year}")

    @rule(source=st.sampled_from(SOURCES), mode=st.sampled_from(["主动公开", "依申请公开", "不予公开"]))
    def disclose(self, source, mode):
        self._edit(source, r"^公开方式: .*$", f"公开方式: {mode}")

    @rule(source=st.sampled_from(SOURCES))
    def delete_or_restore(self, source):
        path = self.site / source
        if path.is_file():
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / source, path)

    @rule(size=st.sampled_from(["2", "3", "20"]))
    def page_size(self, size):
        self._edit("config.yml", r"^page_size: \d+$", f"page_size: {size}")

    @rule(value=st.sampled_from(["true", "false"]))
    def hide_empty_columns(self, value):
        self._edit("config.yml", r"^hide_empty_columns: \w+$", f"hide_empty_columns: {value}")

    @rule(value=st.sampled_from(["true", "false"]))
    def mirror(self, value):
        self._edit("config.yml", r"^traditional: \w+$", f"traditional: {value}")

    @rule(n=st.integers(0, 2), remove=st.booleans())
    def site_template(self, n, remove):
        path = self.site / "templates" / "partials" / "footer.html"
        if remove:
            path.unlink(missing_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(FOOTER.format(n=n), encoding="utf-8")

    @rule(n=st.integers(0, 2), remove=st.booleans())
    def site_static(self, n, remove):
        path = self.site / "static" / "extra.css"
        if remove:
            path.unlink(missing_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"body {{ margin: {n}px; }}\n", encoding="utf-8")

    @rule(epoch=st.sampled_from(DATES))
    def build_date(self, epoch):
        os.environ["SOURCE_DATE_EPOCH"] = epoch

    @invariant()
    def incremental_equals_cold(self):
        if not hasattr(self, "site"):
            return
        warm = outcome(self.site, self.site / "output")
        self.colds += 1
        cold_output = self.tmp / f"cold-{self.colds}" / "output"
        cold = outcome(self.site, cold_output)
        shutil.rmtree(cold_output.parent, ignore_errors=True)
        assert warm[0] == cold[0], (warm[0], cold[0])
        if warm[0] == "failed":
            assert warm[1] == cold[1]
            return
        stale = sorted(name for name in set(warm[1]) | set(cold[1]) if warm[1].get(name) != cold[1].get(name))
        assert stale == [], stale[:20]


Editing.TestCase.settings = settings(max_examples=EXAMPLES, stateful_step_count=6, deadline=None,
                                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@pytest.fixture(autouse=True)
def scratch(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_STATEFUL_TMP", str(tmp_path))


TestIncrementalEqualsCold = Editing.TestCase
