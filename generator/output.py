"""Writing the site: a staging folder beside output/, no escapes, no double writes, atomic swap."""
from __future__ import annotations

import ctypes
import os
import shutil
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

    def copy(self, rel: str, source_file: Path, source: str) -> None:
        target = self._target(rel, source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source_file, target)

    def _target(self, rel: str, source: str) -> Path:
        path = PurePosixPath(rel)
        if path.is_absolute() or ".." in path.parts or not path.parts:
            raise ValueError(f"refusing to write outside the output folder: {rel!r}")
        key = path.as_posix()
        if key in self.written:
            raise DoubleWrite(key, self.written[key], source)
        self.written[key] = source
        return self.root.joinpath(*path.parts)

    def commit(self) -> None:
        """Swap staging into output/ in one step where the kernel allows it."""
        os.chmod(self.root, 0o755)  # mkdtemp makes it 0700; a published site must be readable
        if self.output.exists() and _exchange(self.root, self.output):
            shutil.rmtree(self.root)  # now holds the previous site
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


def _exchange(a: Path, b: Path) -> bool:
    """renameat2(RENAME_EXCHANGE): both paths swap atomically; False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0
