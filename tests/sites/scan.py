"""Read every byte a build wrote, decompressing what is compressed, to look for strings."""
from __future__ import annotations

import gzip
import io
import zipfile
import zlib
from pathlib import Path


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
    return hits
