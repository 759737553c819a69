"""The search index: Pagefind's extended build (it segments Chinese) run over the staging folder.

Only elements marked by the search contract (themes/*/templates/partials/search.html) are
indexed, so what the index can hold is exactly what the disclosure gate let onto the pages.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import re
import resource
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import cbor2
import pagefind_bin_extended

BUNDLE = "pagefind"  # folder of the index inside the site; search.js loads it relative to the site root
RECORDS = ".search-records"  # scratch folder for the records Pagefind reads, inside the staging folder


_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")  # search.js has the same rule
GRAMS_MARK = "⁂"  # where a record's gram lane starts in Pagefind's content; search.js cuts it off there


def grams(text: str) -> str:
    """The Han bigrams of the text, each written as one number, distinct, sorted, space-separated.

    Pagefind segments Chinese with a dictionary, and the same phrase can be cut differently
    in a long page than in a short query; then the query's words are not prefixes of the
    page's and the page is not found. A bigram written as ten digits (two code points of
    five digits) is one word that no segmenter cuts, the same in the page and in the query,
    so the bigrams of a phrase find every page that holds it. A lone character is five
    digits, so it finds every bigram it begins.
    """
    found = set()
    for run in _HAN.findall(unicodedata.normalize("NFKC", text)):
        if len(run) == 1:
            found.add(f"{ord(run):05d}")
        found.update(f"{ord(a):05d}{ord(b):05d}" for a, b in zip(run, run[1:]))
    return " ".join(sorted(found))


@dataclass(frozen=True)
class IndexStats:
    pages: int
    files: int
    bytes: int
    peak_kib: int = 0  # Pagefind's peak resident memory


class SearchIndexFailed(Exception):
    """Pagefind failed, or indexed something other than the pages it was given."""


def build_index(records: Path, bundle: Path, expected_pages: int) -> IndexStats:
    """Index the search records under `records` (one per published document) into `bundle`.

    Kept behind this one function so the index can later be split into several bundles
    (by year or size) that the browser merges.
    """
    if expected_pages == 0:
        return IndexStats(0, 0, 0)  # Pagefind refuses an empty site; search.js then says search is unavailable
    binary = str(pagefind_bin_extended.get_executable())
    run = subprocess.run([binary, "--site", str(records), "--output-path", str(bundle), "--silent"],
                         capture_output=True, text=True)
    if run.returncode != 0:
        raise SearchIndexFailed(f"Pagefind 建立索引失败：{run.stderr.strip() or run.stdout.strip()}")
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    pages = sum(language["page_count"] for language in entry["languages"].values())
    if pages != expected_pages:
        raise SearchIndexFailed(f"搜索索引收录了 {pages} 个页面，应为 {expected_pages} 个")
    _canonical(bundle)
    files = [p for p in bundle.rglob("*") if p.is_file()]
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest child so far: Pagefind
    return IndexStats(pages, len(files), sum(p.stat().st_size for p in files), peak)


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
