"""A small site built and compared with its expected output file by file.

After an intended change, regenerate with `GONGKAI_UPDATE_GOLDEN=1 make test` and review the diff.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from generator.build import build

GOLDEN = Path(__file__).resolve().parents[1] / "golden"


def test_golden_site(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)  # the golden config carries build_date
    out = tmp_path / "output"
    build(GOLDEN / "site/config.yml", GOLDEN / "site/content", out)
    expected = GOLDEN / "expected"
    if os.environ.get("GONGKAI_UPDATE_GOLDEN"):
        shutil.rmtree(expected, ignore_errors=True)
        shutil.copytree(out, expected)
    got = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    want = {p.relative_to(expected).as_posix() for p in expected.rglob("*") if p.is_file()}
    assert sorted(got) == sorted(want)
    for rel in sorted(got):
        assert (out / rel).read_bytes() == (expected / rel).read_bytes(), rel
