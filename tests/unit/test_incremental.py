"""The incremental executor (generator/incremental.py) without a whole build: which jobs are
reused, and what a reused job brings into the new site."""
from __future__ import annotations

import os
from pathlib import Path

from gongkai import incremental
from gongkai.cache import Made, Written
from gongkai.output import Staging
from gongkai.render import Page
from gongkai.routes import Job


def page_job(job_id: str, path: str, text: str, record: str | None = None) -> Job:
    """A job whose context is the one page it makes: (path, text)."""
    return Job(job_id, "test", (path, text), record=record)


def make(job: Job):
    path, text = job.context
    yield Page(path, text.encode("utf-8"), "来源")


def written(output: Path, path: str, text: str) -> Written:
    target = output / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    st = os.stat(target)
    return Written(path, "来源", st.st_ino, st.st_size, st.st_mtime_ns)


def test_a_job_is_reused_only_with_the_same_key_and_its_files_as_written(tmp_path):
    output = tmp_path / "output"
    jobs = [page_job("page:a", "a.html", "甲"), page_job("page:b", "b.html", "乙"), page_job("page:c", "c.html", "丙"),
            page_job("doc:d", "d.html", "丁", record="doc/d/")]
    last = {"page:a": Made("ka", (written(output, "a.html", "甲"),)),
            "page:b": Made("old", (written(output, "b.html", "乙"),)),
            "page:c": Made("kc", (written(output, "c.html", "丙"),)),
            "doc:d": Made("kd", (written(output, "d.html", "丁"),))}
    (output / "c.html").write_text("丙，手改过", encoding="utf-8")  # edited by hand: not trusted
    keys = ["ka", "kb", "kc", "kd"]
    plan = incremental.plan(jobs, keys, last, output, stored={"kd.terms"}, kinds=["terms", "html"], make=make)
    # a: same key, same file. b: another key. c: its file changed. d: its search record is gone.
    assert plan.reuse == {0: last["page:a"]} and plan.todo == [1, 2, 3]
    assert plan.record_keys == {"doc/d/": "kd"}
    assert incremental.plan(jobs, keys, last, output, stored={"kd.terms", "kd.html"}, kinds=["terms", "html"], make=make).todo == [1, 2]


def test_reused_pages_are_the_same_file_and_rendered_ones_are_new(tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    jobs = [page_job("page:a", "a.html", "甲"), page_job("page:b", "x/b.html", "乙")]
    last = {"page:a": Made("ka", (written(output, "a.html", "甲"),))}
    plan = incremental.plan(jobs, ["ka", "kb"], last, output, stored=set(), kinds=[], make=make)
    staging = Staging(output)
    try:
        finished = incremental.render(plan, staging, lambda key, kind: tmp_path / f"{key}.{kind}",
                                      lambda exc: ("?", 1), processes=1, progress=False)
        made = incremental.place(plan, finished, staging, output)
        assert made["page:a"] is last["page:a"]
        assert made["page:b"].key == "kb" and [w.path for w in made["page:b"].files] == ["x/b.html"]
        assert os.stat(staging.root / "a.html").st_ino == os.stat(output / "a.html").st_ino  # linked, not copied
        assert (staging.root / "x" / "b.html").read_text(encoding="utf-8") == "乙"
        assert staging.written.keys() >= {"a.html", "x/b.html"}
    finally:
        staging.discard()
