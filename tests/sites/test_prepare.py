"""After a build that wrote most files anew, the next build's staging folder is made in the
background (generator/prepare.py): a copy of output/ of hard links, which the next build takes
as the site before last. It must never change what a build publishes."""
from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from gongkai import prepare, stages
from gongkai.build import build
from gongkai.cache import location

ROOT = Path(__file__).resolve().parents[2]
DOC = "content/法定主动公开内容/法规文件/行政规范性文件/lanshanqufczzf-2021-0000566.md"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def inodes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_ino for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.setattr(stages, "PREPARE_AFTER", 1)  # the sample is small: prepare after every build
    root = tmp_path / "site"
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copy(ROOT / "config.yml", root / "config.yml")
    return root


def run(root: Path, output: Path | None = None):
    return build(root / "config.yml", root / "content", output or root / "output")


def ready(root: Path) -> Path:
    """The copy the background process makes after a build, once it is there."""
    cache = location(root / "output", root)
    wanted = cache / f"{prepare.READY}{os.stat(root / 'output').st_ino}"
    deadline = time.monotonic() + 60
    while not wanted.is_dir():
        assert time.monotonic() < deadline, f"no copy of output/ was made: {sorted(os.listdir(cache))}"
        time.sleep(0.05)
    with open(cache / prepare.LOCK, "a") as handle:  # and finished: it holds the lock until renamed
        prepare.fcntl.flock(handle, prepare.fcntl.LOCK_EX)
    return wanted


def edit(root: Path, n: int) -> None:
    path = root / DOC
    path.write_text(path.read_text(encoding="utf-8").replace("标题: 方城镇", f"标题: 方城镇{n}", 1), encoding="utf-8")


def test_a_build_from_nothing_leaves_a_linked_copy_that_the_next_build_recycles(site, tmp_path):
    run(site)
    copy = ready(site)
    # Every file of output/, the same file (an inode shared), nothing else.
    assert inodes(copy) == inodes(site / "output")

    folder = os.stat(copy).st_ino
    edit(site, 1)
    warm = run(site)
    # The copy was the staging folder, and is now output/ (the staging folder is swapped in whole) ...
    assert os.stat(site / "output").st_ino == folder
    # ... and the site is the one a build from nothing makes.
    cold = run(site, tmp_path / "cold" / "output")
    assert cold.reused == 0 and warm.reused > 0
    assert tree(site / "output") == tree(tmp_path / "cold" / "output")


def test_a_copy_of_an_output_since_replaced_is_not_used(site, tmp_path):
    run(site)
    copy = ready(site)
    stale = copy.parent / f"{prepare.READY}1"
    os.rename(copy, stale)
    (stale / "index.html").unlink()
    (stale / "index.html").write_text("stale", encoding="utf-8")  # a wrong file: never published either way
    edit(site, 2)
    run(site)
    assert not stale.exists()
    cold = run(site, tmp_path / "cold" / "output")
    assert tree(site / "output") == tree(tmp_path / "cold" / "output") and cold.reused == 0


def test_a_build_waits_for_a_copy_under_way(site):
    """The copy is taken only once finished: a half-made one would be recycled as it is."""
    run(site)
    cache = ready(site).parent
    shutil.rmtree(ready(site))
    output = site / "output"
    made, holding = {}, threading.Event()

    def background():  # what prepare.copy does, slowly, holding the lock as it does
        with open(cache / prepare.LOCK, "a") as handle:
            prepare.fcntl.flock(handle, prepare.fcntl.LOCK_EX)
            holding.set()
            time.sleep(1)
            copy = cache / f"{prepare.READY}{os.stat(output).st_ino}"
            shutil.copytree(output, copy, copy_function=os.link)
            made["inode"] = os.stat(copy).st_ino

    helper = threading.Thread(target=background)
    helper.start()
    holding.wait()
    edit(site, 3)
    run(site)
    helper.join()
    assert os.stat(output).st_ino == made["inode"]  # the build waited, then took that copy
