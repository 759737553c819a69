"""search.Services: Pagefind services lent to shard after shard, and, in a process that builds
again and again (make serve, search.keep_services), kept running between builds; a service
whose last shard did not finish is never lent again."""
from __future__ import annotations

import pytest

from gongkai import search

PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"></head>
<body><main data-pagefind-body><h1>{title}</h1><p>政务公开{title}。</p></main></body></html>"""


@pytest.fixture
def kept(monkeypatch):
    monkeypatch.setattr(search, "_KEEP", True)
    monkeypatch.setattr(search, "_IDLE", [])
    yield search._IDLE
    search._end_idle()


def _records(tmp_path, n):
    records = []
    for i in range(n):
        path = tmp_path / f"{i}.html"
        path.write_text(PAGE.format(title=f"文件{i}"), encoding="utf-8")
        records.append((f"doc/{i}/", path))
    return records


def test_a_kept_service_indexes_the_next_build_and_gives_the_same_bundle(tmp_path, kept):
    records = _records(tmp_path, 3)
    first = search.Services()
    search.build_shard(records, tmp_path / "a", 3, True, first)
    first.close()
    assert len(kept) == 1 and kept[0].process.poll() is None  # waiting for the next build
    service = kept[0]
    second = search.Services()
    search.build_shard(records, tmp_path / "b", 3, True, second)
    assert not kept  # lent out again, not a new one started
    second.close()
    assert kept == [service]
    fresh = tmp_path / "c"
    search.build_shard(records, fresh, 3, True)  # a service of its own, as a CLI build's
    for bundle in (tmp_path / "a", tmp_path / "b"):
        assert sorted(p.relative_to(bundle) for p in bundle.rglob("*")) == sorted(p.relative_to(fresh) for p in fresh.rglob("*"))
        for path in fresh.rglob("*"):
            if path.is_file():
                assert (bundle / path.relative_to(fresh)).read_bytes() == path.read_bytes(), path


def test_a_service_whose_shard_failed_is_not_kept(tmp_path, kept):
    records = _records(tmp_path, 2)
    services = search.Services()
    with pytest.raises(search.SearchIndexFailed):
        search.build_shard(records, tmp_path / "a", 5, True, services)  # 2 pages indexed, 5 expected
    assert services.get().clean  # the shard itself finished: only the count was wrong
    broken = search.Services()
    service = broken.get()
    service.clean = False  # as if a shard had stopped half way (an answer of type Error)
    broken.close()
    assert service not in kept and service.process.poll() is not None
    services.close()
    assert len(kept) == 1


def test_without_keep_services_every_service_ends(tmp_path, monkeypatch):
    monkeypatch.setattr(search, "_IDLE", [])
    services = search.Services()
    search.build_shard(_records(tmp_path, 2), tmp_path / "a", 2, True, services)
    service = services.get()
    services.close()
    assert search._IDLE == [] and service.process.poll() is not None


def test_the_reported_peak_memory_is_pagefinds_not_another_childs(tmp_path):
    """The build's render workers are children too (forked with all of the build's memory): at
    100k one reported 1.9 GiB as "Pagefind 峰值内存" for a shard of 200 pages."""
    import subprocess
    import sys
    subprocess.run([sys.executable, "-c", "b = bytearray(400 << 20); b[::4096] = b'x' * len(b[::4096])"],
                   check=True)  # a child of 400 MiB that has ended
    stats = search.build_shard(_records(tmp_path, 3), tmp_path / "a", 3, True)
    assert 0 < stats.peak_kib < 200 << 10, stats.peak_kib
