"""Time, CPU and memory of one command and everything it starts, for the benchmark tables.

`/usr/bin/time -v` reports only the largest single process, and `getrusage(RUSAGE_CHILDREN)`
is a running maximum over every child this Python process ever had, so neither can say what a
build needs when it runs several processes at once. Here the process tree is sampled instead.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

INTERVAL = 0.02  # short enough to catch Pagefind's brief peaks, long enough to cost ~1% of a core
PSS_EVERY = 50  # each process's PSS once a second, its RSS every interval
PROC = Path("/proc")
_CHILDREN_FILES = PROC.joinpath("self", "task", str(os.getpid()), "children").exists()  # needs CONFIG_PROC_CHILDREN


@dataclass(frozen=True)
class Measurement:
    wall_s: float
    cpu_s: float  # user + system of the command and the descendants it waited for (see run)
    peak_mib: float  # largest sum over the tree at one moment of each process's proportional memory
    # (PSS, read once a second, scaled by RSS between readings), and at least the largest process
    peak_single_mib: float  # largest resident memory of any one process in the tree
    returncode: int
    stdout: str
    stderr: str


def run(cmd: list[str], cwd=None, env=None) -> Measurement:
    """Run `cmd` to completion and measure it.

    cpu_s comes from wait4's rusage, which counts the command and every descendant that its
    parent waited for; a daemon that outlives its parent is not counted (the builds measured
    here start none). Output goes to temporary files, not pipes, so a chatty command cannot
    fill a pipe and stall while nobody reads it.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err)
        sampler = _Sampler(proc.pid)
        sampler.start()
        # Wait without reaping: while the child is a zombie its pid cannot be reused, so the
        # sampler never reads a stranger's /proc entry; then reap it for its rusage.
        os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT)
        wall = time.perf_counter() - started
        sampler.stop()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)  # tell Popen it has been reaped
        out.seek(0), err.seek(0)
        stdout, stderr = (f.read().decode("utf-8", "replace") for f in (out, err))
    # ru_maxrss (KiB) is the largest of the child and its reaped descendants: a floor for
    # processes that lived less than one sampling interval.
    single_kib = max(sampler.peak_single_kib, usage.ru_maxrss)
    return Measurement(wall, usage.ru_utime + usage.ru_stime, max(sampler.peak_kib, single_kib) / 1024,
                       single_kib / 1024, proc.returncode, stdout, stderr)


def median(values):
    """The median, so repeated runs are summarised the same way everywhere in the benchmark."""
    return statistics.median(values)


class _Sampler(threading.Thread):
    def __init__(self, root: int):
        super().__init__(daemon=True)
        self.root, self.peak_kib, self.peak_single_kib = root, 0, 0
        self._done = threading.Event()

    def run(self) -> None:
        tick, share = 0, {}  # pid → PSS / RSS when last read
        while True:
            total = 0
            proportional = tick % PSS_EVERY == 0  # reading PSS walks page tables: ~20 ms for 1 GB
            for pid in _tree(self.root):
                rss, hwm = _memory(pid)
                if proportional and rss:
                    share[pid] = _proportional(pid, rss) / rss
                # Between readings, each process's last share of its RSS; a process never read
                # yet (a short Pagefind run) counts whole.
                total += rss * share.get(pid, 1.0)
                self.peak_single_kib = max(self.peak_single_kib, rss, hwm)
            self.peak_kib = max(self.peak_kib, int(total))
            tick += 1
            if self._done.wait(INTERVAL):
                return

    def stop(self) -> None:
        self._done.set()
        self.join()


def _tree(root: int) -> list[int]:
    """The root and its descendants; any of them may exit while we look, which only shortens the list."""
    if not _CHILDREN_FILES:
        return _tree_by_ppid(root)
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        try:
            tasks = os.listdir(PROC / str(pid) / "task")
        except OSError:
            continue
        for tid in tasks:  # each thread has its own list of the children it started
            try:
                todo += map(int, (PROC / str(pid) / "task" / tid / "children").read_text().split())
            except OSError:
                pass
    return found


def _tree_by_ppid(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in os.listdir(PROC):
        if entry.isdigit():
            try:
                stat = (PROC / entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])  # the command name may hold spaces or ")"
            parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += parents.get(pid, [])
    return found


def _proportional(pid: int, rss: int) -> int:
    """The process's share of memory (PSS, KiB): pages shared with other processes of the
    tree (forked workers share their parent's pages copy-on-write) count once in the sum,
    not once in each process. VmRSS where the kernel has no smaps_rollup."""
    try:
        with open(PROC / str(pid) / "smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return rss


def _memory(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) in KiB; (0, 0) for a process that has gone or is a zombie."""
    try:
        status = (PROC / str(pid) / "status").read_text()
    except OSError:
        return 0, 0
    values = {line.split(":")[0]: int(line.split()[1]) for line in status.splitlines()
              if line.startswith(("VmRSS:", "VmHWM:"))}
    return values.get("VmRSS", 0), values.get("VmHWM", 0)
