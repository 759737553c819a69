"""Incremental builds: which render jobs the last build already made, rendering the others,
and bringing every job's pages into the new site. stages.py asks for "these jobs, rendered";
this module decides what that costs.

A job is reused when its key (the digest of its context, routes.py, and of what every page is
rendered with) is the one the last build recorded, and every file it wrote is still in
output/ as it was written (same inode, size and time: a file edited by hand is not trusted).
A document job also needs its search record and terms in the build cache.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from tqdm import tqdm

from . import workers
from .cache import Made, Written
from .output import Staging


@dataclass(frozen=True)
class Plan:
    """The render jobs, their keys, and which of them the last build already made."""
    jobs: list  # routes.Job
    keys: list[str]
    todo: list[int]  # indexes of the jobs to render
    reuse: dict  # index → the Made of a job whose pages are reused
    make: Callable  # job → its pages (render.Renderer.make)

    @property
    def record_keys(self) -> dict[str, str]:
        """Document URL → its job's key: the name of its search record and terms in the cache."""
        return {job.record: self.keys[i] for i, job in enumerate(self.jobs) if job.record}


def plan(jobs: list, keys: list[str], last: dict[str, Made], output_dir: Path, stored: set[str],
         kinds: list[str], make: Callable) -> Plan:
    """`last`: job id → what the last build made; `stored`: the search records in the cache
    ("<key>.<kind>"); `kinds`: the kinds each document job must find there."""
    todo, reuse = [], {}
    for i, job in enumerate(jobs):
        previous = last.get(job.id)
        if reusable(previous, keys[i], output_dir) and (
                not job.record or all(f"{keys[i]}.{kind}" in stored for kind in kinds)):
            reuse[i] = previous
        else:
            todo.append(i)
    return Plan(jobs, keys, todo, reuse, make)


def reusable(previous: Made | None, key: str, output_dir: Path) -> bool:
    """The last build made this job or shard from the same inputs, and its files are still
    there as it wrote them (same inode, size, time)."""
    if previous is None or previous.key != key:
        return False
    out = str(output_dir)
    try:
        for written in previous.files:
            st = os.stat(f"{out}/{written.path}")
            if (st.st_ino, st.st_size, st.st_mtime_ns) != (written.ino, written.size, written.mtime):
                return False
    except OSError:
        return False
    return True


def render(plan: Plan, staging: Staging, record_path: Callable, where: Callable, processes: int,
           progress: bool, recorded: Callable[[], None] = lambda: None) -> dict[int, workers.Done]:
    """Render the jobs to do into the staging folder (on every core): job index → Done.
    Document jobs go first, and `recorded` is called once every search record is in the cache:
    the search index is made from them while the other pages render."""
    bar = tqdm(total=len(plan.todo), desc="生成页面", unit="组", delay=1, leave=False,
               disable=not (progress and sys.stderr.isatty()))
    todo = sorted(plan.todo, key=lambda i: not plan.jobs[i].record)  # (stable: in plan order otherwise)
    records = sum(1 for i in todo if plan.jobs[i].record)
    if not records:
        recorded()
    finished = {}
    for done in workers.run(plan.jobs, plan.keys, todo, plan.make, staging.root, record_path, where, processes):
        finished[done.index] = done
        bar.update()
        if plan.jobs[done.index].record:
            records -= 1
            if not records:
                recorded()
    bar.close()
    return finished


def place(plan: Plan, finished: dict, staging: Staging, output_dir: Path) -> dict[str, Made]:
    """Every job's pages in the staging folder: reused ones linked from output/, rendered ones
    registered, in job order so that messages do not depend on timing. Returns job id → Made."""
    made = {}
    for i, job in enumerate(plan.jobs):
        if i in plan.reuse:
            link(staging, output_dir, plan.reuse[i].files)
            made[job.id] = plan.reuse[i]
        else:
            for written in finished[i].files:
                staging.register(written.path, written.source)
            made[job.id] = Made(plan.keys[i], finished[i].files)
    return made


def link(staging: Staging, output_dir: Path, files: tuple[Written, ...]) -> None:
    """Files the last build wrote, into the staging folder as they are (hard links)."""
    out = str(output_dir)
    for written in files:
        staging.link(written.path, f"{out}/{written.path}", written.source, written.ino)
