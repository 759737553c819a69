"""Writing the site: a staging folder beside output/, no escapes, no double writes, atomic swap."""
from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import tempfile
from pathlib import Path, PurePosixPath


class DoubleWrite(Exception):
    """Two sources want the same output file."""

    def __init__(self, path: str, first: str, second: str):
        super().__init__(path)
        self.path, self.first, self.second = path, first, second


class Staging:
    """A fresh folder next to output/ that becomes output/ only when the build succeeded."""

    def __init__(self, output: Path):
        self.output = output.resolve()
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.root = Path(tempfile.mkdtemp(prefix=f".{self.output.name}.staging-", dir=self.output.parent))
        self.written: dict[str, str] = {}  # output path → source that wrote it

    def write(self, rel: str, content: bytes, source: str) -> None:
        target = self._target(rel, source)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)

    def link(self, rel: str, existing: Path, source: str) -> None:
        """A file the previous build made and this one would make the same: shared, not copied.
        Nothing is ever written into a file in place, so the previous output stays as it was."""
        target = self._target(rel, source)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(existing, target)

    def register(self, rel: str, source: str) -> None:
        """A file a render worker has written into the staging folder."""
        self._target(rel, source)

    def copy(self, rel: str, source_file: Path, source: str) -> None:
        target = self._target(rel, source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source_file, target)

    def _target(self, rel: str, source: str) -> Path:
        target = inside(self.root, rel)
        if rel in self.written:
            raise DoubleWrite(rel, self.written[rel], source)
        self.written[rel] = source
        return target

    def commit(self, background: bool = False) -> None:
        """Swap staging into output/ in one step where the kernel allows it.

        With background, the previous site is removed by a separate process after the swap:
        the new site is live at once, and tens of thousands of unlinks need not hold up the
        command that published it."""
        os.chmod(self.root, 0o755)  # mkdtemp makes it 0700; a published site must be readable
        if self.output.exists() and _exchange(self.root, self.output):
            if background:  # self.root now holds the previous site
                subprocess.Popen(["rm", "-rf", "--", str(self.root)], start_new_session=True,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            else:
                shutil.rmtree(self.root)
            return
        old = None
        if self.output.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{self.output.name}.old-", dir=self.output.parent))
            os.rename(self.output, old / "site")
        os.rename(self.root, self.output)
        if old:
            shutil.rmtree(old)

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def inside(root: Path, rel: str) -> Path:
    path = PurePosixPath(rel)
    if path.is_absolute() or ".." in path.parts or not path.parts or path.as_posix() != rel:
        raise ValueError(f"refusing to write outside the output folder: {rel!r}")
    return root.joinpath(*path.parts)


def _exchange(a: Path, b: Path) -> bool:
    """renameat2(RENAME_EXCHANGE): both paths swap atomically; False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0
