"""The build cache: what the last build read and wrote, so that the next build parses, renders
and indexes again only what changed.

It lives with the sources, in `.gongkai-cache/<output folder name>-<hash of its path>/` beside
config.yml, never in or beside the published folder: it holds the titles and summaries of
withheld documents (their search records) and the site before last, and a web server serves
whatever lies under its root. Deleting it is always safe: the next build is a full one. It is
written as data (generator/stored.py), never as pickle, so a file swapped in by someone else
can at worst make a build start afresh. A cache that cannot be read back exactly (truncated,
edited, written by another Gongkai) is noticed through its checksum and ignored.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import NamedTuple
from pathlib import Path

from . import stored, toolchain

FORMAT = 7  # bump when State changes shape
_MAGIC = b"gongkai-build-cache\n"


class Written(NamedTuple):
    """A file a render job or search shard wrote, as it was on disk after the build: the next
    build reuses it only while it is still so (same inode, size and time)."""
    path: str  # inside the site
    source: str  # what it was made from, for messages
    ino: int
    size: int
    mtime: int  # ns


class Made(NamedTuple):
    """What a render job or search shard made: the key of its inputs and the files it wrote."""
    key: str
    files: tuple  # of Written


class Seen(NamedTuple):
    """An input file as a build read it: a file whose size, times and inode are the same again
    is not read again (git's rule; ctime, because no tool sets it)."""
    size: int
    mtime: int  # ns
    ino: int
    ctime: int  # ns
    sha256: str


class Last(NamedTuple):
    """All the no-change check needs, kept apart from the large state so that it costs little."""
    generator: str  # State.generator
    fingerprint: str
    summary: dict
    stats: dict  # input file → Seen


@dataclass
class State:
    generator: str = ""  # toolchain.fingerprint(): other code or libraries, other cache
    fingerprint: str = ""  # hash of every input of the last build, for the no-change check
    summary: dict = field(default_factory=dict)  # what the last build reported, to report it again
    config: str = ""  # hash of config.yml that `documents` were read under
    documents: dict = field(default_factory=dict)  # source file → content.Parsed
    jobs: dict = field(default_factory=dict)  # render job id → Made
    shards: dict = field(default_factory=dict)  # search shard → Made
    stats: dict = field(default_factory=dict)  # input file → Seen
    site: frozenset | None = None  # every file of the site the last build made (None: not known)


ENTRY_BY_ENTRY = ("documents", "jobs")  # State's mappings kept on disk entry by entry (Entries)


class Entries(dict):
    """One of State's large mappings as read back: each entry was stored as its own encoded
    bytes, decoded when first asked for (`get`). An entry the next state holds unchanged (the
    very object read) is written back as the same bytes: an edit encodes what changed, not ten
    thousand documents again."""

    def __init__(self, blobs: dict, kind: type, known: dict):
        super().__init__()
        self._blobs, self._kind, self._known = blobs, kind, known

    def get(self, key, default=None):
        if key in self:
            return self[key]
        blob = self._blobs.get(key)
        if type(blob) is not bytes:
            return default
        try:
            value = stored.loads(blob)
        except stored.Unreadable:
            return default
        if not isinstance(value, self._kind):  # a damaged entry: as if it were not there
            return default
        self[key] = value
        self._known[id(value)] = (value, blob)
        return value

    def clear(self) -> None:
        super().clear()
        self._blobs = {}


class _Saved(NamedTuple):
    """The state this process last saved into a cache, and how the file it wrote looked."""
    generator: str
    signature: tuple  # Cache._signature of the file it wrote
    state: State
    known: dict  # id → (entry, its bytes) of every entry of documents and jobs written


_SAVED: dict[Path, _Saved] = {}  # cache folder → what this process last saved there

# Postings sections this process read or made, by key (content-addressed, so never stale): make
# serve's next build takes them from here rather than decoding every section file again.
_SECTIONS: dict[str, dict] = {}

FOLDER = ".gongkai-cache"
OUTPUT_NOTE = "output"  # in each cache: the path of the output folder it belongs to


def location(output: Path, sources: Path) -> Path:
    """The cache of the site built into `output` from the sources in `sources` (config.yml's
    folder). Two output folders of one name each get their own."""
    output = output.resolve()
    tag = hashlib.sha256(os.fsencode(output)).hexdigest()[:12]
    return sources.resolve() / FOLDER / f"{output.name}-{tag}"


def generator_hash() -> str:
    """What the cache belongs to: Gongkai's code and the libraries it runs on (toolchain.py).
    Another of either, and the next build starts afresh."""
    return toolchain.fingerprint()


class Cache:
    def __init__(self, output: Path, sources: Path):
        self.root = location(output, sources)
        self.records = self.root / "records"  # search records by render key: content-addressed
        self.sections = self.root / "postings"  # each postings section's bucket parts, by section key
        self.previous = self.root / "previous"  # the site before the current one: the next staging folder
        self.output = output.resolve()
        self.damaged = False  # a cache was there but could not be trusted
        self._known: dict[int, tuple[object, bytes]] = {}  # entries read back: id → (the entry, its bytes)

    def recyclable(self) -> bool:
        """Whether the site before last can be kept here and recycled: only on the output
        folder's own file system, where moving a folder is a rename."""
        try:
            return os.stat(self.root.parent).st_dev == os.stat(self.output.parent).st_dev
        except OSError:
            return False

    @contextmanager
    def lock(self):
        """One build at a time per output folder (make and serve at once, say): builds share
        the cache and the staging folder. The lock file sits beside the cache folder, which
        a build may delete."""
        self.root.parent.mkdir(parents=True, exist_ok=True)
        with open(self.root.parent / f".{self.root.name}.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield

    def prune_orphans(self) -> None:
        """Remove the caches of output folders that no longer exist (a preview folder deleted,
        a test's temporary folder): each holds a whole site, and nothing else would remove them.
        A cache whose build is running (its lock taken) is left alone."""
        try:
            entries = sorted(os.scandir(self.root.parent), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            if entry.name.startswith(".") or entry.path == str(self.root) or not entry.is_dir(follow_symlinks=False):
                continue
            try:
                output = (Path(entry.path) / OUTPUT_NOTE).read_bytes()
            except OSError:
                continue  # not a cache this version wrote, or one being written: not ours to judge
            if os.path.lexists(os.fsdecode(output)):
                continue
            lock = Path(entry.path).parent / f".{entry.name}.lock"
            try:
                with open(lock, "a") as handle:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    shutil.rmtree(entry.path, ignore_errors=True)
                    lock.unlink()
            except OSError:
                continue  # its build is running, or the folder cannot be changed

    def last(self, generator: str) -> Last | None:
        """The last build's Last, if it was made by this toolchain."""
        found = self._read("last")
        return found if isinstance(found, Last) and found.generator == generator else None

    def load(self, generator: str) -> State:
        remembered = _SAVED.get(self.root)
        if remembered and remembered.generator == generator and self._signature("state") == remembered.signature:
            # This process saved that very file (make serve, build after build): its objects are
            # still here, and decoding them again would cost a second at ten thousand documents.
            self._known = remembered.known
            return remembered.state
        state = self._read("state")
        if not isinstance(state, State) or state.generator != generator:
            self.clear()  # Gongkai itself changed, or nothing usable was there: start afresh
            return State(generator=generator)
        from .content import Parsed  # content imports the cache's users, not the other way round
        kinds = {"documents": Parsed, "jobs": Made}
        for name in ENTRY_BY_ENTRY:
            blobs = getattr(state, name)
            setattr(state, name, Entries(blobs if isinstance(blobs, dict) else {}, kinds[name], self._known))
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
            version, value = stored.loads(payload)
            if version != FORMAT:
                raise ValueError("format")
            return value
        except Exception:  # noqa: BLE001 - any failure to read back means: start afresh
            self.damaged = True
            return None

    def save(self, state: State) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / OUTPUT_NOTE).write_bytes(os.fsencode(self.output))  # for prune_orphans
        known: dict[int, tuple[object, bytes]] = {}
        self._write("state", replace(state, **{name: self._entries(getattr(state, name), known)
                                               for name in ENTRY_BY_ENTRY}))
        self._write("last", Last(state.generator, state.fingerprint, state.summary, state.stats))
        _SAVED[self.root] = _Saved(state.generator, self._signature("state"), state, known)

    def _entries(self, mapping: dict, known: dict) -> dict[str, bytes]:
        """Each entry's bytes: those it was read back from where it is unchanged. `known`
        gets every entry written, for the next save in this process."""
        found = {}
        for key, value in mapping.items():
            hit = self._known.get(id(value))
            blob = found[key] = hit[1] if hit is not None and hit[0] is value else stored.dumps(value)
            known[id(value)] = (value, blob)
        return found

    def _write(self, name: str, value) -> None:
        payload = stored.dumps((FORMAT, value))
        fd, tmp = tempfile.mkstemp(prefix=f".{name}-", dir=self.root)
        with os.fdopen(fd, "wb") as out:
            out.write(_MAGIC + hashlib.sha256(payload).digest() + payload)
        os.replace(tmp, self.root / name)

    def _signature(self, name: str) -> tuple | None:
        """A file as it is on disk (inode, size, modification time and the checksum in its
        header): another writer, or a change in place, gives another."""
        try:
            with open(self.root / name, "rb") as f:
                st = os.fstat(f.fileno())
                head = f.read(len(_MAGIC) + 32)
        except OSError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns, head)

    def forget(self) -> None:
        """Before a build changes output/: if it stops half way, the next one starts afresh
        rather than trusting a record of an output folder that no longer exists."""
        for name in ("last", "state"):
            try:
                (self.root / name).unlink()
            except FileNotFoundError:
                pass

    def clear(self) -> None:
        """Start afresh. The old cache holds a whole site (previous/): it is moved aside and
        removed by a separate process, which this build need not wait for."""
        if not self.root.exists():
            return
        trash = Path(tempfile.mkdtemp(prefix=f".{self.root.name}.old-", dir=self.root.parent))
        os.rename(self.root, trash / "cache")
        subprocess.Popen(["rm", "-rf", "--", str(trash)], start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def record(self, key: str, kind: str = "html") -> Path:
        """A document's search record (html) or terms (terms), by its render key."""
        return self.records / key[:2] / f"{key}.{kind}"

    def section(self, key: str) -> dict | None:
        """A postings section's parts by its key (the digest of everything it is made of)."""
        parts = _SECTIONS.get(key)
        if parts is not None:
            return parts
        try:
            with open(self.sections / f"{key}.cbor", "rb") as f:
                parts = stored.loads(f.read())
        except (OSError, stored.Unreadable):  # missing or unreadable: the section is built again
            return None
        if not isinstance(parts, dict):
            return None
        _SECTIONS[key] = parts
        return parts

    def save_section(self, key: str, parts: dict) -> None:
        self.sections.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".section-", dir=self.sections)
        with os.fdopen(fd, "wb") as out:
            out.write(stored.dumps(parts))
        os.replace(tmp, self.sections / f"{key}.cbor")
        _SECTIONS[key] = parts

    def prune_sections(self, keep: set[str]) -> None:
        for key in [key for key in _SECTIONS if key not in keep]:
            del _SECTIONS[key]
        if self.sections.is_dir():
            for path in self.sections.iterdir():
                if path.stem not in keep:
                    path.unlink()

    def stored_records(self) -> set[str]:
        """The names of every record and terms file there is (one listing, not a stat each)."""
        names: set[str] = set()
        if self.records.is_dir():
            for folder in os.scandir(self.records):
                names.update(os.listdir(folder.path))
        return names

    def prune_records(self, keep: set[str]) -> None:
        """Drop the search records and terms no page of this build uses."""
        if not self.records.is_dir():
            return
        for folder in self.records.iterdir():
            for path in folder.iterdir():
                if path.name.split(".", 1)[0] not in keep:  # key.html, key.terms, key.hant.html, …
                    path.unlink()
