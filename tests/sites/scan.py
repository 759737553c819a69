"""Read every byte a build wrote, decompressing what is compressed, to look for strings."""
from __future__ import annotations

import gzip
import io
import json
import zipfile
import zlib
from collections import defaultdict
from pathlib import Path

from gongkai import postings


def _expand(data: bytes) -> list[bytes]:
    """The data and, recursively, whatever it decompresses to (gzip, zlib, zip)."""
    found = [data]
    if data[:2] == b"\x1f\x8b":
        try:
            found += _expand(gzip.decompress(data))
        except (OSError, EOFError):
            pass
    elif data[:1] == b"\x78":
        try:
            found += _expand(zlib.decompress(data))
        except zlib.error:
            pass
    elif data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                found += [name.encode()] + _expand(archive.read(name))
    return found


def leaks(output: Path, needles: list[str]) -> dict[str, list[str]]:
    """needle → the output files (or file names) that contain it."""
    hits: dict[str, list[str]] = {}
    for path in sorted(output.rglob("*")):
        rel = path.relative_to(output).as_posix()
        blobs = [rel.encode()] + (_expand(path.read_bytes()) if path.is_file() else [])
        # Pagefind stores text with a zero-width space between the words it segmented.
        blobs += [blob.replace("\u200b".encode(), b"") for blob in blobs]
        for needle in needles:
            if any(needle.encode() in blob for blob in blobs):
                hits.setdefault(needle, []).append(rel)
    # postings/ holds terms, not text: a document there leaks a needle if it holds all of the
    # needle's terms (or, for filter values, the needle itself).
    for name, terms in _postings_documents(output).items():
        text = "\n".join(terms)
        for needle in needles:
            wanted = set(postings.tokens(needle))
            if (wanted and wanted <= terms) or needle in text:
                hits.setdefault(needle, []).append(name)
    return hits


def _postings_documents(output: Path) -> dict[str, set[str]]:
    """Every postings/ (the site's and the 繁體 mirror's) read back as documents:
    "<folder>/<section>/<local id>" → its terms."""
    documents: dict[str, set[str]] = defaultdict(set)
    for index_file in sorted(output.rglob(postings.INDEX)):
        folder = index_file.parent
        index = json.loads(index_file.read_text(encoding="utf-8"))
        widths = {section[0]: section[2] for section in index["sections"]}
        sizes = {section[0]: section[1] for section in index["sections"]}
        digits, complement = index["format"]["digits"], index["format"]["complement"]
        name = folder.relative_to(output).as_posix()
        for path in sorted((folder / "b").glob("*.json")):
            for section, terms in json.loads(path.read_text(encoding="utf-8")).items():
                width = widths[section]
                for term, posted in terms.items():
                    if posted.startswith(complement):  # held by every document but those listed
                        without = {posted[i:i + width] for i in range(2, len(posted), width)}
                        held = [_number(local, width, digits) for local in range(sizes[section])]
                        held = [code for code in held if code not in without]
                    else:
                        held = [posted[i:i + width] for i in range(0, len(posted), width + 1)]
                    for code in held:
                        documents[f"{name}/{section}/{code}"].add(term)
    return documents


def _number(value: int, width: int, digits: str) -> str:
    out = ""
    for _ in range(width):
        value, digit = divmod(value, len(digits))
        out = digits[digit] + out
    return out
