"""Rendering on every core: forked workers render their share of the jobs and write the pages
into the staging folder themselves, so only file names and sizes travel back.

Workers are forked after the site model is built, so they share it without pickling it.
"""
from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import jinja2

from .cache import Written
from .output import inside, make_folder, replace
from .routes import Job
from .schema import INVISIBLE

_WORK: dict = {}  # what the forked workers read: jobs, keys, where to write
MIN_PARALLEL = 200  # fewer jobs than this are rendered in this process: forking would cost more


@dataclass(frozen=True)
class Done:
    index: int  # of the job
    files: tuple  # a cache.Written for each page written


class WriteFailed(Exception):
    """A page could not be written (a file or folder of another page in its way, a full disk);
    plain values, because the exception crosses processes."""

    def __init__(self, path: str, source: str, code: int, reason: str):
        super().__init__(path, source, code, reason)
        self.path, self.source, self.errno, self.reason = path, source, code, reason


class RenderFailed(Exception):
    """A template failed; carries the place, and the job it was rendering (a document's 索引号, a
    list's address), because a traceback does not cross processes."""

    def __init__(self, template: str, line: int, message: str, job: str = ""):
        super().__init__(template, line, message, job)
        self.template, self.line, self.message, self.job = template, line, message, job


def run(jobs: list[Job], keys: list[str], todo: list[int], make: Callable[[Job], Iterator], root: Path,
        record_path: Callable[[str, str], Path], where: Callable[[jinja2.TemplateError], tuple[str, int]], processes: int) -> Iterator[Done]:
    """Render jobs[i] for i in todo; yields as they finish (in any order)."""
    _WORK.update(jobs=jobs, keys=keys, make=make, root=root, record_path=record_path, where=where)
    _FOLDERS.clear()  # a cache folder may have been removed since the last build
    try:
        if processes <= 1 or len(todo) < MIN_PARALLEL:
            yield from map(_render, todo)
            return
        context = multiprocessing.get_context("fork")
        with context.Pool(processes) as pool:
            yield from pool.imap_unordered(_render, todo, chunksize=max(1, min(64, len(todo) // (processes * 8))))
    finally:
        _WORK.clear()


def _render(index: int) -> Done:
    job, root = _WORK["jobs"][index], _WORK["root"]
    files = []
    page = None
    try:
        for page in _WORK["make"](job):
            if page.private:
                _write_new(_WORK["record_path"](_WORK["keys"][index], page.private), page.content)
                continue
            target = inside(root, page.path)
            make_folder(os.path.dirname(target))
            replace(target)  # the staging folder may be the site before last (output.Staging)
            with open(target, "wb") as out:
                out.write(_well_formed(page.path, page.content))
            st = os.stat(target)
            files.append(Written(page.path, page.source, st.st_ino, st.st_size, st.st_mtime_ns))
    except jinja2.TemplateError as exc:
        raise RenderFailed(*_WORK["where"](exc), exc.message or str(exc), job.id) from None
    except OSError as exc:
        where = page.path if page is not None else ""
        raise WriteFailed(where, page.source if page is not None else "", exc.errno or 0, exc.strerror or str(exc)) from None
    return Done(index, tuple(files))


def _well_formed(path: str, content: bytes) -> bytes:
    """A feed or data file never holds a character XML and JSON readers refuse. Content and
    config refuse them where an editor wrote them (E129, E002); this is the last line, for
    anything that reaches a feed another way."""
    if path.endswith((".xml", ".json")):
        text = content.decode("utf-8")
        if INVISIBLE.search(text):
            return INVISIBLE.sub("", text).encode("utf-8")
    return content


_FOLDERS: set = set()  # cache folders known to exist, in this process


def _write_new(path: Path, content: bytes) -> None:
    """Write a content-addressed file whole or not at all: a build stopped half way must not
    leave a truncated record that a later build would take for a finished one."""
    if path.parent not in _FOLDERS:
        path.parent.mkdir(parents=True, exist_ok=True)
        _FOLDERS.add(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_bytes(content)
    os.replace(tmp, path)
