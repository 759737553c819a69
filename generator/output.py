"""Writing the site: a staging folder beside output/, no escapes, no double writes, atomic swap."""
from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
from pathlib import Path


class DoubleWrite(Exception):
    """Two sources want the same output file."""

    def __init__(self, path: str, first: str, second: str):
        super().__init__(path)
        self.path, self.first, self.second = path, first, second


class Staging:
    """A folder next to output/ that becomes output/ only when the build succeeded.

    It is the site before last where there is one (`recycle`, kept in the build cache), brought
    up to date file by file, else a fresh folder. Creating the tens of thousands of folders a
    site has costs far more than linking its files (here about 0.4 ms a folder), and the site
    before last has nearly all of them. Files shared with output/ by hard links are never
    written in place: a file is replaced by unlinking its name first."""

    def __init__(self, output: Path, recycle: Path | None = None, holds: frozenset | None = None):
        """`holds`: the files the recycled folder is known to hold; None to look."""
        self.output = output.resolve()
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.recycled = recycle is not None and recycle.is_dir()
        self.root = recycle if self.recycled else Path(
            tempfile.mkdtemp(prefix=f".{self.output.name}.staging-", dir=self.output.parent))
        self.holds = holds if self.recycled else frozenset()
        self.root_path = str(self.root) + "/"
        self.written: dict[str, str] = {}  # output path → source that wrote it
        self.folders: set[str] = set()  # known to exist

    def write(self, rel: str, content: bytes, source: str) -> None:
        target = self._fresh(rel, source)
        target.write_bytes(content)

    def link(self, rel: str, existing: str, source: str, inode: int | None = None) -> None:
        """A file the previous build made and this one would make the same: shared, not copied.
        `inode`: the existing file's, where the caller knows it (then rel is a path a build
        wrote before, already checked to stay inside)."""
        if inode is None:
            target = self._target(rel, source)
        else:
            if rel in self.written:
                raise DoubleWrite(rel, self.written[rel], source)
            self.written[rel] = source
            target = self.root_path + rel
        if self.recycled:
            try:
                if os.stat(target).st_ino == (inode or os.stat(existing).st_ino):
                    return  # the site before last already shares it
                os.unlink(target)
            except FileNotFoundError:
                pass
        self._folder(os.path.dirname(target))
        os.link(existing, target)

    def register(self, rel: str, source: str) -> None:
        """A file a render worker has written into the staging folder."""
        self._target(rel, source)

    def copy(self, rel: str, source_file: Path, source: str) -> None:
        shutil.copyfile(source_file, self._fresh(rel, source))

    def _fresh(self, rel: str, source: str) -> Path:
        target = self._target(rel, source)
        replace(target)
        self._folder(os.path.dirname(target))
        return Path(target)

    def _folder(self, folder: str) -> None:
        if folder not in self.folders:
            os.makedirs(folder, exist_ok=True)
            self.folders.add(folder)

    def prune(self) -> None:
        """Remove what the site before last had and this build did not write."""
        if not self.recycled:
            return
        root = str(self.root)
        if self.holds is not None:
            for rel in self.holds - self.written.keys():
                replace(os.path.join(root, rel))
                folder = os.path.dirname(rel)
                while folder:  # and the folders that leaves empty
                    try:
                        os.rmdir(os.path.join(root, folder))
                    except OSError:
                        break
                    folder = os.path.dirname(folder)
            return
        for folder, dirs, names in os.walk(root, topdown=False):
            rel = os.path.relpath(folder, root)
            prefix = "" if rel == "." else rel + "/"
            for name in names:
                if prefix + name not in self.written:
                    os.unlink(os.path.join(folder, name))
            if folder != root and not os.listdir(folder):
                os.rmdir(folder)

    def _target(self, rel: str, source: str) -> str:
        if rel in self.written:
            raise DoubleWrite(rel, self.written[rel], source)
        target = str(inside(self.root, rel))
        self.written[rel] = source
        return target

    def commit(self, keep: Path) -> None:
        """Swap staging into output/, in one step where the kernel allows it; the previous site
        moves to `keep`, to be the next build's staging folder (nothing is deleted)."""
        os.chmod(self.root, 0o755)  # mkdtemp makes it 0700; a published site must be readable
        if self.root != keep:
            shutil.rmtree(keep, ignore_errors=True)  # a stale one, if any: this build did not use it
            keep.parent.mkdir(parents=True, exist_ok=True)
        if not self.output.exists():
            os.rename(self.root, self.output)
            return
        if _exchange(self.root, self.output):  # self.root now holds the previous site
            if self.root != keep:
                os.rename(self.root, keep)
            return
        if self.root == keep:  # no exchange here: move the staging folder out of the way first
            moved = Path(tempfile.mkdtemp(prefix=f".{self.output.name}.staging-", dir=self.output.parent))
            os.rename(keep, moved / "site")
            self.root = moved / "site"
        os.rename(self.output, keep)
        os.rename(self.root, self.output)
        if self.root.parent.name.startswith(f".{self.output.name}.staging-"):
            self.root.parent.rmdir()

    def discard(self) -> None:
        """A failed build. A recycled folder stays for the next build, which brings it up to
        date whatever state it was left in."""
        if not self.recycled:
            shutil.rmtree(self.root, ignore_errors=True)


def replace(path: Path) -> None:
    """Unlink path if it is there, so that writing it makes a new file: the old one may be
    shared with the published site by a hard link."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def inside(root: Path, rel: str) -> str:
    """root/rel, for a relative POSIX path in normal form that stays inside root."""
    parts = rel.split("/")
    if not rel or "\0" in rel or any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"refusing to write outside the output folder: {rel!r}")
    return os.path.join(root, *parts)


def _exchange(a: Path, b: Path) -> bool:
    """renameat2(RENAME_EXCHANGE): both paths swap atomically; False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0
