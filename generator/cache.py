"""The build cache beside output/: what the last build read and wrote, so that the next build
parses, renders and indexes again only what changed.

It lives in `.gongkai-cache/<output folder name>/` next to the output folder, never inside it
(nothing in it is published). Deleting it is always safe: the next build is a full one. A cache
that cannot be read back exactly (truncated, edited, written by another Gongkai) is noticed
through its checksum and ignored.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

FORMAT = 1  # bump when State changes shape
_MAGIC = b"gongkai-build-cache\n"
GENERATOR = Path(__file__).resolve().parent


@dataclass
class State:
    generator: str = ""  # hash of Gongkai's own code: other code, other cache
    fingerprint: str = ""  # hash of every input of the last build, for the no-change check
    summary: dict = field(default_factory=dict)  # what the last build reported, to report it again
    config: str = ""  # hash of config.yml that `documents` were read under
    documents: dict = field(default_factory=dict)  # source file → content.Parsed
    jobs: dict = field(default_factory=dict)  # render job id → (key, files)
    shards: dict = field(default_factory=dict)  # search shard → (key, files)


def location(output: Path) -> Path:
    output = output.resolve()
    return output.parent / ".gongkai-cache" / output.name


def generator_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted(GENERATOR.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class Cache:
    def __init__(self, output: Path):
        self.root = location(output)
        self.records = self.root / "records"  # search records by render key: content-addressed
        self.damaged = False  # a cache was there but could not be trusted

    def last(self, generator: str) -> tuple[str, dict] | None:
        """(fingerprint, summary) of the last build: all the no-change check needs, kept apart
        from the large state so that checking costs little."""
        found = self._read("last")
        return found[1:] if found and found[0] == generator else None

    def load(self, generator: str) -> State:
        state = self._read("state")
        if not isinstance(state, State) or state.generator != generator:
            self.clear()  # Gongkai itself changed, or nothing usable was there: start afresh
            return State(generator=generator)
        return state

    def _read(self, name: str):
        try:
            data = (self.root / name).read_bytes()
        except FileNotFoundError:
            return None
        except OSError:
            data = b""
        head, checksum, payload = data[: len(_MAGIC)], data[len(_MAGIC): len(_MAGIC) + 32], data[len(_MAGIC) + 32:]
        try:
            if head != _MAGIC or hashlib.sha256(payload).digest() != checksum:
                raise ValueError("checksum")
            version, value = pickle.loads(payload)
            if version != FORMAT:
                raise ValueError("format")
            return value
        except Exception:  # noqa: BLE001 - any failure to read back means: start afresh
            self.damaged = True
            return None

    def save(self, state: State) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self._write("state", state)
        self._write("last", (state.generator, state.fingerprint, state.summary))

    def _write(self, name: str, value) -> None:
        payload = pickle.dumps((FORMAT, value), protocol=pickle.HIGHEST_PROTOCOL)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}-", dir=self.root)
        with os.fdopen(fd, "wb") as out:
            out.write(_MAGIC + hashlib.sha256(payload).digest() + payload)
        os.replace(tmp, self.root / name)

    def forget(self) -> None:
        """Before a build changes output/: if it stops half way, the next one starts afresh
        rather than trusting a record of an output folder that no longer exists."""
        for name in ("last", "state"):
            try:
                (self.root / name).unlink()
            except FileNotFoundError:
                pass

    def clear(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def record(self, key: str) -> Path:
        return self.records / key[:2] / f"{key}.html"

    def prune_records(self, keep: set[str]) -> None:
        """Drop the search records no page of this build uses."""
        if not self.records.is_dir():
            return
        for folder in self.records.iterdir():
            for path in folder.iterdir():
                if path.stem not in keep:
                    path.unlink()
