"""generator/canonical.py, the one place that reads and writes Pagefind's own file formats: it
fails loudly on a Pagefind it was not checked against, and what it writes is still a bundle
Pagefind reads (tests/browser/test_merge.py merges one)."""
from __future__ import annotations

import gzip
import hashlib
import importlib.metadata
import json

import cbor2
import pytest

from gongkai import canonical, search

PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="a" content="{a}" data-pagefind-filter="agency[content]">
<meta name="y" content="{y}" data-pagefind-filter="year[content]">
<meta name="m" content="{m}" data-pagefind-filter="mode[content]"></head>
<body><main data-pagefind-body><h1>{title}</h1><p>政务公开{title}。</p></main></body></html>"""


def test_checked_against_the_installed_pagefind():
    installed = importlib.metadata.version("pagefind_bin_extended")
    assert installed in canonical.CHECKED, (
        f"Pagefind {installed} is installed; generator/canonical.py was checked against {canonical.CHECKED}. "
        "Build a bundle with it, check that filters and their values are still the fields canonical.py "
        "sorts (and nothing else varies from run to run), then add the version to CHECKED.")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bundle")
    records = []
    for i, (a, y, m) in enumerate([("乙局", "2021", "主动公开"), ("甲局", "2019", "依申请公开"), ("丙局", "2020", "主动公开"),
                                   ("甲局", "2021", "主动公开")]):
        path = tmp / f"{i}.html"
        path.write_text(PAGE.format(a=a, y=y, m=m, title=f"文件{i}"), encoding="utf-8")
        records.append((f"doc/{i}/", path))
    out = tmp / "pagefind"
    search.build_shard(records, out, len(records), primary=True)
    return out


def _read(path):
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(canonical.SIGNATURE)
    return data, cbor2.loads(data[len(canonical.SIGNATURE):])


def test_filters_and_their_values_are_sorted_and_files_named_by_content(bundle):
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    (language, info), = entry["languages"].items()
    meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
    data, meta = _read(meta_path)
    assert info["hash"] == f"{language}_{hashlib.sha256(data).hexdigest()[:13]}"
    names = [name for name, _file in meta[3]]
    assert names == sorted(names) == ["agency", "mode", "year"]
    for name, file in meta[3]:
        data, values = _read(bundle / "filter" / f"{file}.pf_filter")
        assert file == f"{language}_{hashlib.sha256(data).hexdigest()[:7]}"
        assert [v[0] for v in values[1]] == sorted(v[0] for v in values[1])
    assert sorted(p.name for p in (bundle / "filter").iterdir()) == sorted(f"{f}.pf_filter" for _n, f in meta[3])


def test_canonical_twice_is_canonical_once(bundle, tmp_path):
    before = {p.relative_to(bundle): p.read_bytes() for p in bundle.rglob("*") if p.is_file()}
    canonical.canonicalise(bundle)
    after = {p.relative_to(bundle): p.read_bytes() for p in bundle.rglob("*") if p.is_file()}
    assert after == before


def test_a_file_it_cannot_read_stops_the_build(bundle, tmp_path):
    broken = tmp_path / "broken"
    for path in bundle.rglob("*"):
        if path.is_file():
            target = broken / path.relative_to(bundle)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    meta = next(broken.glob("pagefind.*.pf_meta"))
    meta.write_bytes(gzip.compress(b"another_format" + cbor2.dumps([1, 2])))
    with pytest.raises(canonical.UnknownFormat):
        canonical.canonicalise(broken)


def test_the_build_says_which_pagefind_it_knows(bundle, tmp_path, monkeypatch):
    def unknown(_bundle):
        raise canonical.UnknownFormat("pagefind.x.pf_meta")
    monkeypatch.setattr(canonical, "canonicalise", unknown)
    record = tmp_path / "r.html"
    record.write_text(PAGE.format(a="甲局", y="2021", m="主动公开", title="文件"), encoding="utf-8")
    with pytest.raises(search.SearchIndexFailed, match="Gongkai 只认识 Pagefind 1.5.2 的索引"):
        search.build_shard([("doc/r/", record)], tmp_path / "out", 1, primary=True)
