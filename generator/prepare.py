"""The next build's staging folder, made in the background after a build that wrote most of the
site anew (a build from nothing, a changed template or config.yml).

A build brings the site before last up to date (output.Staging). Where that folder shares
nearly no file with output/, every file is unlinked and linked again, and where there is none,
every folder is made: 5-8 s at 10,000 documents, paid by the editor's next build. Here a
process of its own makes a copy of output/ of hard links (`ready-<inode of output/>`) while the
editor reads the new site; the next build takes it as the site before last, after waiting for a
copy still being made (output.Staging would do the same work, slower).

Only builds change `previous`, with the build lock held (`take`); this process writes nothing
but its own folder, and a copy of an output/ that has since been replaced is dropped.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

LOCK = "prepare.lock"
PART = "ready.part"
READY = "ready-"


def start(output: Path, cache_root: Path) -> None:
    """Start making the copy; returns at once. Any failure only means a slower next build."""
    try:
        subprocess.Popen([sys.executable, "-m", "gongkai.prepare", os.fspath(output), os.fspath(cache_root)],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True, close_fds=True)
    except OSError:
        pass


def take(output: Path, cache_root: Path, previous: Path) -> None:
    """With the build lock held: wait for a copy being made, then make a copy of the current
    output/ the site before last. What it replaces, and stale copies, are removed in the
    background: deleting a site's files costs as much as linking them."""
    try:
        with open(cache_root / LOCK, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # a copy under way finishes first
            try:
                found = cache_root / f"{READY}{os.stat(output).st_ino}"
            except OSError:
                found = None
            for stale in [*cache_root.glob(READY + "*"), cache_root / PART]:
                if stale != found and os.path.isdir(stale):
                    _discard(stale, cache_root)
            if found is not None and found.is_dir():
                if os.path.lexists(previous):
                    _discard(previous, cache_root)
                os.rename(found, previous)
    except OSError:
        pass  # the build recycles what is there, or starts a fresh folder


def _discard(path: Path, cache_root: Path) -> None:
    trash = tempfile.mkdtemp(prefix=".discarded-", dir=cache_root.parent)  # beside the cache: Cache.clear may move it
    os.rename(path, os.path.join(trash, "site"))
    subprocess.Popen(["rm", "-rf", "--", trash], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, start_new_session=True)


def _remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def copy(output: Path, cache_root: Path) -> Path | None:
    """The copy of hard links, named for the output/ it was made from; None if output/ was
    replaced while it was made (a build ran meanwhile)."""
    with open(cache_root / LOCK, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        inode = os.stat(output).st_ino
        part = cache_root / PART
        _remove(part)
        source = os.fspath(output)
        for folder, _dirs, files in os.walk(source):  # links to folders are not followed
            here = os.path.join(part, os.path.relpath(folder, source))
            os.makedirs(here, exist_ok=True)
            for name in files:
                os.link(os.path.join(folder, name), os.path.join(here, name), follow_symlinks=False)
        if os.stat(output).st_ino != inode:
            _remove(part)
            return None
        ready = cache_root / f"{READY}{inode}"
        os.rename(part, ready)
        return ready


def main(argv: list[str]) -> int:
    try:
        copy(Path(argv[0]), Path(argv[1]))
    except Exception:  # noqa: BLE001 - a background helper: the next build copes with whatever is left
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
