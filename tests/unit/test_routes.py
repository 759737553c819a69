"""The route table (generator/routes.py) and page keys (generator/frozen.py) without a build:
pages are made from their context alone, and a page whose bytes change gets a new key."""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import jinja2
import pytest

from gongkai import frozen, routes
from gongkai.config import load_config
from gongkai.content import load_documents
from gongkai.disclosure import publishable
from gongkai.errors import Report
from gongkai.model import Document
from gongkai.render import Renderer, environment
from gongkai.site import build_site

ROOT = Path(__file__).resolve().parents[2]
THEME = ROOT / "themes" / "default" / "templates"
SUPERSEDED = "lanshanqufczzf/2018-0000212"  # 废止, replaced by lanshanqufczzf/2021-0000566
REPLACEMENT = "lanshanqufczzf/2021-0000566"


@pytest.fixture(scope="module")
def sample():
    report = Report()
    config = load_config(ROOT / "config.yml", report)
    documents = load_documents(config, ROOT / "content", report)
    assert not report.errors
    return config, documents


def made(config, documents, build_date=dt.date(2022, 6, 30)) -> dict[str, tuple[str, tuple]]:
    """Job id → (its context's digest, its pages as (path, bytes))."""
    site = build_site(config, publishable(documents), build_date)
    renderer = Renderer(config, environment([THEME]))
    digests = frozen.Digests()
    return {job.id: (digests.of(job.context), tuple((p.path, p.content) for p in renderer.make(job)))
            for job in routes.jobs(site)}


def edited(documents: list[Document], index_no: str, **changes) -> list[Document]:
    return [dataclasses.replace(d, **changes) if d.index_no == index_no else d for d in documents]


EDITS = {
    "retitle the replacing document": lambda docs: edited(docs, REPLACEMENT, title="修订后的考核办法"),
    "move a document to another year": lambda docs: edited(docs, SUPERSEDED, date=dt.date(2019, 1, 2)),
    "end a document": lambda docs: edited(docs, REPLACEMENT, validity="废止"),
    "another body": lambda docs: edited(docs, REPLACEMENT, body="新的正文。", digest="another file"),
    "remove a document": lambda docs: [d for d in docs if d.index_no != REPLACEMENT],
}


@pytest.mark.parametrize("edit", EDITS)
def test_a_page_whose_bytes_change_has_a_new_key(sample, edit):
    config, documents = sample
    before, after = made(config, documents), made(config, EDITS[edit](documents))
    changed = {job for job in before.keys() & after.keys() if before[job][1] != after[job][1]}
    assert changed, "the edit should change some page"
    stale = sorted(job for job in changed if before[job][0] == after[job][0])
    assert not stale, f"pages changed under the same key: {stale}"
    # ... and keys are not simply "everything": most pages keep theirs.
    kept = [job for job in before.keys() & after.keys() if before[job][0] == after[job][0]]
    assert len(kept) > len(before) / 3


def test_the_build_date_reaches_only_the_pages_that_show_it(sample):
    config, documents = sample
    before, after = made(config, documents), made(config, documents, build_date=dt.date(2022, 7, 1))
    changed = {job for job in before if before[job][1] != after[job][1]}
    rekeyed = {job for job in before if before[job][0] != after[job][0]}
    assert changed <= rekeyed
    assert "page:rules/current/" in rekeyed and "doc:" + REPLACEMENT not in rekeyed


def test_templates_cannot_read_the_site_model(sample, tmp_path):
    """No global `site`: a template that reaches for it fails instead of reading past its key."""
    config, documents = sample
    (tmp_path / "accessibility.html").write_text("{{ site.documents | length }}", encoding="utf-8")
    site = build_site(config, publishable(documents), dt.date(2022, 6, 30))
    renderer = Renderer(config, environment([tmp_path, THEME]))
    job = next(job for job in routes.jobs(site) if job.id == "page:accessibility/")
    with pytest.raises(jinja2.UndefinedError):
        list(renderer.make(job))


def test_every_job_makes_its_pages_from_a_context_whose_digest_reads_all_of_it(sample):
    config, documents = sample
    site = build_site(config, publishable(documents), dt.date(2022, 6, 30))
    jobs = routes.jobs(site)
    assert len({job.id for job in jobs}) == len(jobs)
    for job in jobs:
        frozen.digest(job.context)  # raises Unreadable on anything it cannot read
        assert dataclasses.is_dataclass(job.context) and type(job.context).__dataclass_params__.frozen


def test_a_value_the_digest_cannot_read_is_refused():
    with pytest.raises(frozen.Unreadable):
        frozen.digest(frozen.Table((("url", lambda n: n),)))
    with pytest.raises(frozen.Unreadable):
        frozen.digest(object())


def test_every_field_of_a_document_is_in_its_digest_but_the_body_stands_by_its_file(sample):
    _config, documents = sample
    doc = next(d for d in documents if d.index_no == SUPERSEDED)
    base = frozen.digest(doc)
    other = {str: "另", int: 7, dt.date: dt.date(2000, 1, 1), tuple: ("另",), Path: Path("/x.md")}
    for field in dataclasses.fields(doc):
        if field.name in ("lines", "body"):
            continue
        value = getattr(doc, field.name)
        replacement = next((v for t, v in other.items() if isinstance(value, t)), "另")
        if field.name == "category":
            replacement = dataclasses.replace(value, name="另一栏")
        assert frozen.digest(dataclasses.replace(doc, **{field.name: replacement})) != base, field.name
    # The body is read through the gate and may be absent (the build cache keeps no bodies): the
    # digest of its source file stands for it, so the key is the same either way.
    assert frozen.digest(dataclasses.replace(doc, body=None)) == base
    assert frozen.digest(dataclasses.replace(doc, lines={"x": 9})) == base


def test_digests_tell_values_apart_that_print_alike():
    assert frozen.digest(("1", 1)) != frozen.digest((1, "1"))
    assert frozen.digest(("ab", "c")) != frozen.digest(("a", "bc"))
    assert frozen.digest((None,)) != frozen.digest(("None",))
    assert frozen.digest({"a": 1}) != frozen.digest((("a", 1),))
    table = frozen.Table((("a", 1), ("b", 2)))
    assert table.get("b") == 2 and table["a"] == 1 and "a" in table and list(table) == ["a", "b"] and len(table) == 2
    assert frozen.digest(table) == frozen.digest(frozen.Table((("a", 1), ("b", 2))))
