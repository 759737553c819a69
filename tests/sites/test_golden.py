"""A small site built and compared with its expected output file by file.

After an intended change, regenerate with `GONGKAI_UPDATE_GOLDEN=1 make test` and review the diff.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from gongkai.build import THEMES, build

GOLDEN = Path(__file__).resolve().parents[1] / "golden"


def test_golden_site(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)  # the golden config carries build_date
    out = tmp_path / "output"
    build(GOLDEN / "site/config.yml", GOLDEN / "site/content", out)
    expected = GOLDEN / "expected"
    # The theme's static files are copied verbatim, and the search bundle is Pagefind's binary
    # format (its determinism is tested with the sample); golden files cover the pages we write.
    themed = shutil.ignore_patterns("static", "pagefind")
    if os.environ.get("GONGKAI_UPDATE_GOLDEN"):
        shutil.rmtree(expected, ignore_errors=True)
        shutil.copytree(out, expected, ignore=themed)
    theme_static = THEMES / "default/static"
    assert {p.name: p.read_bytes() for p in (out / "static").iterdir()} == \
        {p.name: p.read_bytes() for p in theme_static.iterdir()}
    got = {p.relative_to(out).as_posix() for p in out.rglob("*")
           if p.is_file() and p.relative_to(out).parts[0] not in ("static", "pagefind")}
    want = {p.relative_to(expected).as_posix() for p in expected.rglob("*") if p.is_file()}
    assert sorted(got) == sorted(want)
    for rel in sorted(got):
        assert (out / rel).read_bytes() == (expected / rel).read_bytes(), rel
