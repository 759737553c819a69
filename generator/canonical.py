"""Pagefind's bundle made byte-identical from build to build: the one place that reads or
writes Pagefind's own file formats.

Pagefind 1.5.2 writes each filter's values, and the list of filters, in hash-map order, which
changes with every run, and names files by the hash of their content. The browser reads these
as maps, so sorting them changes nothing it sees; the files are then renamed by the hash of
their sorted content, and the index metadata and entry file follow. Nothing else is touched:
the bundle stays the one Pagefind wrote, for its own JS API and for portals that merge it.

These formats are Pagefind's internals. CHECKED names the versions this was checked against;
tests/unit/test_canonical.py fails on any other, and a file this cannot read stops the build
with E010 rather than publishing an index that differs from run to run.
"""
from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import cbor2

CHECKED = ("1.5.2",)  # Pagefind versions whose bundle this was checked against
SIGNATURE = b"pagefind_dcd"  # what every compressed Pagefind file starts with once decompressed
_META_FILTERS = 3  # in pagefind.<hash>.pf_meta: the list of [filter, file hash]
_FILTER_VALUES = 1  # in filter/<hash>.pf_filter: the list of [value, pages]
_DIGITS = {".pf_meta": 13, ".pf_filter": 7}  # hex digits of the hash in Pagefind's file names


class UnknownFormat(Exception):
    """A bundle file is not what CHECKED versions of Pagefind write."""


def canonicalise(bundle: Path) -> None:
    """Sort the bundle's filters and their values, and rename the files that changed."""
    try:
        entry_path = bundle / "pagefind-entry.json"
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        for language, info in sorted(entry["languages"].items()):
            meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
            meta = _read(meta_path)
            filters = []
            for name, old in sorted(meta[_META_FILTERS]):
                path = bundle / "filter" / f"{old}.pf_filter"
                values = _read(path)
                values[_FILTER_VALUES] = sorted(values[_FILTER_VALUES], key=lambda item: item[0])
                path.unlink()
                filters.append([name, _write(bundle / "filter", language, values, ".pf_filter")])
            meta[_META_FILTERS] = filters
            meta_path.unlink()
            info["hash"] = _write(bundle, language, meta, ".pf_meta", prefix="pagefind.")
    except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError, cbor2.CBORDecodeError) as exc:
        raise UnknownFormat(str(exc)) from None
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _read(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise UnknownFormat(path.name)
    return cbor2.loads(data[len(SIGNATURE):])


def _write(folder: Path, language: str, value, suffix: str, prefix: str = "") -> str:
    """Write value as Pagefind does (signature, CBOR, gzip); named by its content; returns the name's hash."""
    data = SIGNATURE + cbor2.dumps(value)
    name = f"{language}_{hashlib.sha256(data).hexdigest()[:_DIGITS[suffix]]}"
    (folder / f"{prefix}{name}{suffix}").write_bytes(gzip.compress(data, mtime=0))
    return name
