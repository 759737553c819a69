"""The search index: Pagefind's extended build (it segments Chinese) run over the staging folder.
It holds the pages' text, metadata and filters; which documents a query finds is decided by
generator/postings.py.

Only elements marked by the search contract (themes/*/templates/search_record.html) are
indexed, so what the index can hold is exactly what the disclosure gate let onto the pages.
"""
from __future__ import annotations

import base64
import gzip
import hashlib
import importlib.metadata
import json
import math
import os
import resource
import select
import subprocess
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import cbor2
import pagefind_bin_extended

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
            for part in range(parts):
                shards.append((f"{year}-{part + 1}of{parts}",
                               [d for d in docs if zlib.crc32(d.index_no.encode()) % parts == part]))
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
    digest = hashlib.sha256(f"{pagefind_version()}|{name}|{primary}".encode())
    for url, key in sorted(records):
        digest.update(f"{url}|{key}\n".encode())
    return digest.hexdigest()


def pagefind_version() -> str:
    return importlib.metadata.version("pagefind_bin_extended")


def build_shard(records: list[tuple[str, Path]], bundle: Path, expected_pages: int, primary: bool) -> IndexStats:
    """Index the search records (site URL, record file), one per published document, into `bundle`.

    Through Pagefind's indexing service, one record at a time in URL order: Pagefind numbers pages
    in the order it reads them, and its command line reads a folder in the file system's
    order, which differs between ext4 and tmpfs and so made the index differ too.
    The first shard keeps Pagefind's scripts and WebAssembly; the browser loads them once and
    merges the other shards into it (mergeIndex), which reads only their index files."""
    with _Service() as service:
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
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        pages = sum(language["page_count"] for language in entry["languages"].values())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise SearchIndexFailed("Pagefind 建立索引失败：它写出的 pagefind-entry.json 无法读取") from None
    if pages != expected_pages:
        raise SearchIndexFailed(f"搜索索引收录了 {pages} 个页面，应为 {expected_pages} 个")
    _canonical(bundle)
    if not primary:
        for path in bundle.iterdir():
            if path.name in RUNTIME or path.name.startswith("wasm."):
                path.unlink()
    files = [p for p in bundle.rglob("*") if p.is_file()]
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest Pagefind so far
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

    def fail(self):
        self.process.kill()
        self.process.wait()
        self.log.seek(0)
        said = self.log.read().decode("utf-8", "replace").strip()[-500:]
        raise SearchIndexFailed("Pagefind 建立索引失败：Pagefind 程序没有运行起来，或者中途退出"
                                + (f"（{said}）" if said else ""))


def fragments(bundle: Path, shard: str) -> dict[str, str]:
    """URL → "<shard>/<fragment name>" for every page of a shard's bundle. search.js reads a
    result's fragment (its text and metadata) directly, without a Pagefind search: Pagefind
    can only look a page up by searching, and a search by filters alone loads every index
    chunk (17 MB on 10,000 documents)."""
    found = {}
    for path in sorted((bundle / "fragment").iterdir()):
        head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(path.read_bytes(), 4096)
        if not head.startswith(_SIGNATURE + b'{"url":'):
            raise SearchIndexFailed(f"无法识别的 Pagefind 文件：{path.name}")
        url = json.JSONDecoder().raw_decode(head[len(_SIGNATURE) + 7:].decode("utf-8", "ignore"))[0]
        found[url] = f"{shard}/{path.name.removesuffix('.pf_fragment')}"
    return found


_SIGNATURE = b"pagefind_dcd"  # what every compressed Pagefind file starts with once decompressed


def _canonical(bundle: Path) -> None:
    """Make the bundle byte-identical from run to run.

    Pagefind 1.5.2 writes each filter's values, and the list of filters, in hash-map order,
    which changes with every run, and names files by the hash of their content. The browser
    reads these as maps, so sorting them changes nothing it sees; the files are then renamed
    by the hash of their sorted content, and the index metadata and entry file follow.
    """
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in sorted(entry["languages"].items()):
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_path)
        filters = []
        for name, old in sorted(meta[3]):
            path = bundle / "filter" / f"{old}.pf_filter"
            values = _read(path)
            values[1] = sorted(values[1], key=lambda item: item[0])
            path.unlink()
            filters.append([name, _write(bundle / "filter", language, values, 7, ".pf_filter")])
        meta[3] = filters
        meta_path.unlink()
        info["hash"] = _write(bundle, language, meta, 13, ".pf_meta", prefix="pagefind.")
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _read(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise SearchIndexFailed(f"无法识别的 Pagefind 文件：{path.name}")
    return cbor2.loads(data[len(_SIGNATURE):])


def _write(folder: Path, language: str, value, digits: int, suffix: str, prefix: str = "") -> str:
    """Write value as Pagefind does (signature, CBOR, gzip); named by its content; returns the name's hash."""
    data = _SIGNATURE + cbor2.dumps(value)
    name = f"{language}_{hashlib.sha256(data).hexdigest()[:digits]}"
    (folder / f"{prefix}{name}{suffix}").write_bytes(gzip.compress(data, mtime=0))
    return name
