"""The Pagefind bundle (pagefind/): a standard index built by Pagefind's extended build (it
segments Chinese), published beside our own (generator/postings.py) for what only Pagefind
does: answering a query of one Han character, and letting a portal built with Pagefind merge
this column (mergeIndex). The search page reads it only through Pagefind's documented JS API.
`search: {pagefind: false}` in config.yml leaves it out.

Pagefind indexes one page per document, rendered from its search record (generator/records.py)
by themes/*/templates/search_record.html, so it holds what the disclosure gate let through: the
title, the catalogue values and the opening of the body (records.LEAD), not the whole text,
which postings/ holds.
"""
from __future__ import annotations

import atexit
import base64
import contextlib
import hashlib
import importlib.metadata
import json
import math
import os
import select
import subprocess
import tempfile
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path

import pagefind_bin_extended

from . import canonical
from .output import inside

BUNDLE = "pagefind"  # folder of the index inside the site; search.js loads it relative to the site root


@dataclass(frozen=True)
class IndexStats:
    pages: int
    files: int
    bytes: int
    peak_kib: int = 0  # Pagefind's peak resident memory
    shards: int = 0  # separate Pagefind indexes the browser merges
    rebuilt: int = 0  # of them indexed in this build (the others were unchanged)


class SearchIndexFailed(Exception):
    """Pagefind failed, or indexed something other than the pages it was given."""


RUNTIME = ("pagefind.js", "pagefind-worker.js", "pagefind-highlight.js", "pagefind-ui.js", "pagefind-ui.css",
           "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-component-ui.js",
           "pagefind-component-ui.css")  # with wasm.*.pagefind: what only the first shard needs


def plan_shards(documents, size: int) -> dict[str, list]:
    """Documents → search shards, newest first: whole years packed from the oldest up to `size`
    documents a shard; a year larger than that is split by a hash of the 索引号.

    Pagefind's memory grows with the documents in one index, so the size bounds it. Packing from the oldest year keeps old shards unchanged as
    new documents arrive, so an edit re-indexes the shard of its year only."""
    by_year: dict[int, list] = {}
    for doc in documents:
        by_year.setdefault(doc.date.year, []).append(doc)
    shards: list[tuple[str, list]] = []
    pack: list = []
    first = last = None  # the years the current pack spans
    for year in sorted(by_year):
        docs = by_year[year]
        if len(docs) > size:
            if pack:
                shards.append((_span(first, last), pack))
                pack = []
            parts = math.ceil(len(docs) / size)
            split: list[list] = [[] for _ in range(parts)]
            for doc in docs:  # one pass: a year of 10,000 documents is 50 parts
                split[zlib.crc32(doc.index_no.encode()) % parts].append(doc)
            shards.extend((f"{year}-{part + 1}of{parts}", split[part]) for part in range(parts))
            continue
        if pack and len(pack) + len(docs) > size:
            shards.append((_span(first, last), pack))
            pack = []
        if not pack:
            first = year
        pack, last = pack + docs, year
    if pack:
        shards.append((_span(first, last), pack))
    return dict(reversed(shards))


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


def shard_key(name: str, primary: bool, records: list[tuple[str, str]]) -> str:
    digest = hashlib.sha256(f"{name}|{primary}".encode())  # Pagefind's version: in the cache's toolchain key
    for url, key in sorted(records):
        digest.update(f"{url}|{key}\n".encode())
    return digest.hexdigest()


def pagefind_version() -> str:
    return importlib.metadata.version("pagefind_bin_extended")


class Services:
    """Pagefind indexing services, one per thread that indexes, each used for shard after shard:
    starting one costs about 0.2 s of CPU, as much as indexing a shard of 200 pages (2,000 pages
    in 10 shards: 4.3 s of CPU with a service each, 2.3 s with one). Closed by `close`."""

    def __init__(self):
        self._local = threading.local()
        self._started: list[_Service] = []
        self._lock = threading.Lock()

    def get(self) -> _Service:
        service = getattr(self._local, "service", None)
        if service is None:
            with _IDLE_LOCK:
                service = _IDLE.pop() if _IDLE else None
            service = self._local.service = service or _Service()
            with self._lock:
                self._started.append(service)
        return service

    def close(self) -> None:
        """Each service ends, or with `keep_services` waits idle for the next build, if it
        finished its last shard (an index it did not delete would stay in it)."""
        with self._lock:
            started, self._started = self._started, []
        for service in started:
            if _KEEP and service.clean and service.process.poll() is None:
                with _IDLE_LOCK:
                    _IDLE.append(service)
            else:
                service.__exit__()


# Services kept running between the builds of a process that builds again and again (make
# serve, keep_services): an edit re-indexes one shard, and starting a service cost as much.
_IDLE: list[_Service] = []
_IDLE_LOCK = threading.Lock()
_KEEP = False


def keep_services() -> None:
    """From now on, services wait idle between builds, until this process exits."""
    global _KEEP
    if not _KEEP:
        _KEEP = True
        atexit.register(_end_idle)


def _end_idle() -> None:
    with _IDLE_LOCK:
        idle = list(_IDLE)
        _IDLE.clear()
    for service in idle:
        service.__exit__()


def build_shard(records: list[tuple[str, Path]], bundle: Path, expected_pages: int, primary: bool,
                services: Services | None = None) -> IndexStats:
    """Index the search records (site URL, record file), one per published document, into `bundle`.

    Through Pagefind's indexing service, one record at a time in URL order: Pagefind numbers pages
    in the order it reads them, and its command line reads a folder in the file system's
    order, which differs between ext4 and tmpfs and so made the index differ too. Each shard is
    an index of its own, deleted from the service once its files are written; `services` lends
    a running service (else one is started for this shard).
    The first shard keeps Pagefind's scripts and WebAssembly; the browser loads them once and
    merges the other shards into it (mergeIndex), which reads only their index files."""
    with contextlib.ExitStack() as own:
        service = services.get() if services else own.enter_context(_Service())
        service.clean = False
        index = service.send({"type": "NewIndex", "config": None})["index_id"]
        for url, record in sorted(records):
            service.send({"type": "AddFile", "index_id": index, "file_path": None, "url": "/" + url,
                          "file_contents": record.read_text(encoding="utf-8")})
        # The bundle's files come back in the answer and are written here: the service's own
        # WriteFiles answers before its files are on disk (seen: an empty pagefind-entry.json).
        for file in service.send({"type": "GetFiles", "index_id": index})["files"]:
            target = Path(inside(bundle, file["path"]))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(base64.b64decode(file["content"]))
        service.send({"type": "DeleteIndex", "index_id": index})
        service.clean = True
        peak = service.peak_kib()
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        pages = sum(language["page_count"] for language in entry["languages"].values())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise SearchIndexFailed("Pagefind 建立索引失败：它写出的 pagefind-entry.json 无法读取") from None
    if pages != expected_pages:
        raise SearchIndexFailed(f"搜索索引收录了 {pages} 个页面，应为 {expected_pages} 个")
    try:
        canonical.canonicalise(bundle)
    except canonical.UnknownFormat as exc:
        raise SearchIndexFailed(f"Pagefind {pagefind_version()} 写出的索引文件无法识别（{exc}）："
                                f"Gongkai 只认识 Pagefind {'、'.join(canonical.CHECKED)} 的索引") from None
    if not primary:
        for path in bundle.iterdir():
            if path.name in RUNTIME or path.name.startswith("wasm."):
                path.unlink()
    files = [p for p in bundle.rglob("*") if p.is_file()]
    return IndexStats(pages, len(files), sum(p.stat().st_size for p in files), peak)


class _Service:
    """Pagefind's indexing service (`pagefind --service`), the one its Node and Python APIs
    drive: base64 JSON messages ended by a comma, one answer per message. Spoken here
    synchronously, one message at a time: the Python wrapper waits 0.1 s for every answer
    (20 s for a shard of 200 pages) and waits for ever when the service dies."""

    TIMEOUT = 600  # seconds without an answer: the service is stuck

    def __init__(self):
        self.log = tempfile.TemporaryFile()
        try:
            self.process = subprocess.Popen([str(pagefind_bin_extended.get_executable()), "--service"],
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log)
        except OSError as exc:
            self.log.close()
            raise SearchIndexFailed(f"Pagefind 建立索引失败：Pagefind 程序无法运行（{exc.strerror}）") from None
        self.buffer, self.number = b"", 0
        self.clean = True  # no index of a shard left in it

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        # The service answers WriteFiles before its files are all on disk: it finishes them and
        # exits when its input closes. Killed only if it does not.
        try:
            self.process.stdin.close()
        except OSError:
            pass
        try:
            self.process.wait(timeout=self.TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            try:
                pipe.close()
            except OSError:
                pass
        self.log.close()

    def send(self, payload: dict) -> dict:
        self.number += 1
        message = json.dumps({"message_id": self.number, "payload": payload}).encode()
        try:
            self.process.stdin.write(base64.b64encode(message) + b",")
            self.process.stdin.flush()
        except OSError:
            self.fail()
        while b"," not in self.buffer:
            ready, _, _ = select.select([self.process.stdout], [], [], self.TIMEOUT)
            chunk = os.read(self.process.stdout.fileno(), 1 << 16) if ready else b""
            if not chunk:
                self.fail()
            self.buffer += chunk
        answer, _, self.buffer = self.buffer.partition(b",")
        reply = json.loads(base64.b64decode(answer))["payload"]
        if reply.get("type") == "Error":
            raise SearchIndexFailed(f"Pagefind 建立索引失败：{reply.get('message', '')}")
        return reply

    def peak_kib(self) -> int:
        """The service's peak resident memory so far, from the kernel (Linux; 0 where unknown).
        Not getrusage(RUSAGE_CHILDREN): that is the largest child of the build that has ended,
        and the render workers, forked from the build with all its memory, are children too."""
        try:
            with open(f"/proc/{self.process.pid}/status", encoding="ascii", errors="replace") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except (OSError, ValueError, IndexError):
            pass
        return 0

    def fail(self):
        self.process.kill()
        self.process.wait()
        self.log.seek(0)
        said = self.log.read().decode("utf-8", "replace").strip()[-500:]
        raise SearchIndexFailed("Pagefind 建立索引失败：Pagefind 程序没有运行起来，或者中途退出"
                                + (f"（{said}）" if said else ""))
