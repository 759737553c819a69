#!/usr/bin/env python3
"""Build benchmark (make bench): Gongkai's cold build, no-change rebuild and rebuild after one
edit, against the peer (Hugo 0.168 + Pagefind 1.5.2 extended, bench/peer.py) measured in the
same run on the same corpus; then the bytes a reader's browser loads until the first results.

Medians of RUNS runs (default 3). 1k and 10k documents; 100k too with BENCH_FULL=1.
Wall and CPU time, and peak memory summed over the whole process tree (bench/measure.py).
Not a test: it prints numbers.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE)]

import peer  # noqa: E402
import serve_bench  # noqa: E402
from gongkai import prepare  # noqa: E402
from gongkai.serve import POLL_MS  # noqa: E402
from measure import median, run  # noqa: E402
from search_bench import QUERIES, corpus, percentile, search_costs  # noqa: E402

ROOT = HERE.parent
RUNS = int(os.environ.get("BENCH_RUNS", "3"))


def gongkai(root: Path, content: Path | None = None) -> list[str]:
    return [sys.executable, "-m", "gongkai", "build", "-q", "--config", str(root / "config.yml"),
            "--content", str(content or root / "content"), "--output", str(root / "output")]


# One build date for the whole run: a benchmark that crosses midnight (Beijing time) must not
# measure the pages that show the date being rendered again.
ENV = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", str(int(time.time())))}


def measured(cmd: list[str], root: Path):
    m = run(cmd, cwd=ROOT, env=ENV)
    if m.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{m.stderr}")
    settled(root)
    return m


def settled(root: Path) -> None:
    """Wait for the copy of output/ a build may leave to be made in the background
    (generator/prepare.py), so that it does not share the machine with the next measurement.
    An editor's next build comes seconds later; one that comes sooner waits for it, and that
    wait is in its time."""
    for lock in (root / ".gongkai-cache").glob(f"*/{prepare.LOCK}"):
        time.sleep(0.5)  # the process takes its lock once started
        with open(lock, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)


def summary(ms) -> dict:
    return {"wall": median([m.wall_s for m in ms]), "cpu": median([m.cpu_s for m in ms]),
            "peak": max(m.peak_mib for m in ms)}


PEER_LIMIT = 10000  # the peer's one Pagefind index grows ~0.3 MiB a document: 100k would not fit in 24 GiB


def bench(docs: int) -> dict:
    root = corpus(docs)
    runs_here = RUNS if docs <= PEER_LIMIT else 1  # 100k: one run of each (about ten minutes a build)
    rows = {}
    cold = []
    for _ in range(runs_here):
        shutil.rmtree(root / "output", ignore_errors=True)
        shutil.rmtree(root / ".gongkai-cache", ignore_errors=True)
        cold.append(measured(gongkai(root), root))
    rows["Gongkai 冷构建"] = summary(cold)
    rows["Gongkai 无变化重建"] = summary([measured(gongkai(root), root) for _ in range(runs_here)])
    edited = sorted((root / "content").rglob("*.md"))[docs // 2]
    original = edited.read_bytes()
    edits = []
    try:
        # The first rebuild after a build from nothing has no site before last to bring up to
        # date (output.Staging): it makes every folder anew. Reported on its own row.
        for n in range(runs_here + 1):
            text = original.decode("utf-8").replace("\ntitle: ", f"\ntitle: 修订{n}", 1)
            assert text.encode("utf-8") != original
            edited.write_bytes(text.encode("utf-8"))
            edits.append(measured(gongkai(root), root))
    finally:
        edited.write_bytes(original)
    rows["Gongkai 冷构建后第一次改一篇"] = summary(edits[:1])
    rows["Gongkai 改一篇后重建"] = summary(edits[1:])
    gongkai_out = root / "output"
    serve = serve_bench.edit_to_reload(root, ENV)
    measured(gongkai(root), root)  # the site as built from the unedited corpus, for the search bytes
    mirror = mirrored(root)
    cold = []
    for _ in range(runs_here):
        shutil.rmtree(mirror / "output", ignore_errors=True)
        shutil.rmtree(mirror / ".gongkai-cache", ignore_errors=True)
        cold.append(measured(gongkai(mirror, root / "content"), mirror))
    rows["Gongkai 冷构建（另生成繁體版）"] = summary(cold)
    if docs > PEER_LIMIT:
        return {"docs": docs, "rows": rows, "output": gongkai_out, "serve": serve}
    site = peer.prepare(root, root / "peer")
    out = root / "peer" / "public"
    runs = []
    for _ in range(RUNS):
        shutil.rmtree(out, ignore_errors=True)
        steps = [run(cmd, cwd=ROOT) for cmd in peer.build_commands(site, out)]
        runs.append((sum(s.wall_s for s in steps), sum(s.cpu_s for s in steps), max(s.peak_mib for s in steps)))
    rows["对照 Hugo + Pagefind"] = {"wall": median([r[0] for r in runs]), "cpu": median([r[1] for r in runs]),
                                  "peak": max(r[2] for r in runs)}
    return {"docs": docs, "rows": rows, "output": gongkai_out, "serve": serve}


def mirrored(root: Path) -> Path:
    """The corpus's config with the 繁體 mirror on, in a folder of its own (its own cache)."""
    mirror = root / "hant"
    mirror.mkdir(exist_ok=True)
    config = (root / "config.yml").read_text(encoding="utf-8")
    (mirror / "config.yml").write_text(config.rstrip("\n") + "\ntraditional: true\n", encoding="utf-8")
    return mirror


def main() -> None:
    sizes = [1000, 10000] + ([100000] if os.environ.get("BENCH_FULL") else [])
    results = [bench(docs) for docs in sizes]
    print(f"\n构建基准（2 核机器，每项 {RUNS} 次取中位数；内存为整个进程树同一时刻 PSS 之和的峰值：复制的工作进程共享的内存只算一次）")
    print("| 文档数 | 构建 | 墙钟 s | CPU s | 峰值内存 MiB | 与对照之比（墙钟） | 每篇 ms |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for result in results:
        peer_row = result["rows"].get("对照 Hugo + Pagefind")
        for name, r in result["rows"].items():
            cold = name == "Gongkai 冷构建" or name.startswith("Gongkai 冷构建（") or name.startswith("对照")
            per_doc = f"{r['wall'] / result['docs'] * 1000:.2f}" if cold else ""
            ratio = f"{r['wall'] / peer_row['wall']:.2f}" if peer_row else "—"
            print(f"| {result['docs']} | {name} | {r['wall']:.2f} | {r['cpu']:.1f} | {r['peak']:.0f} | "
                  f"{ratio} | {per_doc} |")
        measured_peer = [x for x in results if "对照 Hugo + Pagefind" in x["rows"]]
        if not peer_row and measured_peer:
            base = measured_peer[-1]
            need = base["rows"]["对照 Hugo + Pagefind"]["peak"] / base["docs"] * result["docs"] / 1024
            print(f"| {result['docs']} | 对照 Hugo + Pagefind | 未运行：{base['docs']} 篇时峰值 "
                  f"{base['rows']['对照 Hugo + Pagefind']['peak']:.0f} MiB，按线性约需 {need:.0f} GiB，本机 24 GiB | | | | |")
    print(f"\nmake serve：打开一篇文档的页面（Chromium），改这篇文档的标题并保存，到页面自己刷新显示新标题的用时"
          f"（3 次取中位数，含页面每 {POLL_MS} 毫秒一次的轮询）；之后 {serve_bench.IDLE_S} 秒不动，其间的重建次数")
    print("| 文档数 | 改一篇到页面刷新 s | 空闲时重建次数 |")
    print("|---:|---:|---:|")
    for result in results:
        print(f"| {result['docs']} | {result['serve']['reload']:.2f} | {result['serve']['idle_builds']} |")
    print(f"\n搜索：{len(QUERIES)} 条固定查询（bench/search_bench.py QUERIES），每条用新的浏览器（冷缓存），按本站 nginx 配置的 gzip 计字节，"
          "从打开搜索页到显示首批结果（或说明没有找到）传输的字节和用时")
    print("| 文档数 | 字节 p50 KiB | 字节 p90 KiB | 字节最大 KiB | 用时 p50 ms | 用时 p90 ms | 最多的一条 |")
    print("|---:|---:|---:|---:|---:|---:|---|")
    for result in results:
        costs = search_costs(result["output"])
        kib = [c["bytes"] / 1024 for c in costs]
        ms = [c["ms"] for c in costs]
        worst = max(costs, key=lambda c: c["bytes"])
        print(f"| {result['docs']} | {percentile(kib, 0.5):.0f} | {percentile(kib, 0.9):.0f} | {max(kib):.0f} | "
              f"{percentile(ms, 0.5):.0f} | {percentile(ms, 0.9):.0f} | {worst['query']} |")


if __name__ == "__main__":
    main()
