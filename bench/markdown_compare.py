#!/usr/bin/env python3
"""Would a compiled Markdown library do Python-Markdown's job? (issue 18: "decide with numbers").

Converts the same bodies with Python-Markdown (Gongkai's extensions), cmarkgfm (C) and
markdown-it-pyrs (Rust), each then cleaned by nh3 as markup.py does, and prints the time per
body and how many outputs are byte-identical to Python-Markdown's, and identical once runs of
whitespace are collapsed. Bodies: the bench corpus (make_corpus), the sample column, the real
hebei_xxgk and govcn bodies (../shared/corpus). Not part of make bench; the two libraries are
not Gongkai's dependencies, so run it from a throwaway venv:

    python3 -m venv /tmp/md && /tmp/md/bin/pip install markdown nh3 cmarkgfm markdown-it-pyrs
    /tmp/md/bin/python bench/markdown_compare.py
"""
from __future__ import annotations

import json
import random
import re
import time
from pathlib import Path

import cmarkgfm
import markdown
import markdown_it_pyrs
import nh3
from cmarkgfm.cmark import Options

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
EXTENSIONS = ("tables", "fenced_code", "sane_lists", "def_list", "abbr", "footnotes", "attr_list")  # markup.py's


def bodies(folder: Path, limit: int) -> list[str]:
    files = sorted(folder.rglob("*.md"))
    random.Random(1).shuffle(files)
    found = []
    for path in files[:limit]:
        text = path.read_text(encoding="utf-8")
        head, sep, body = text.partition("\n---\n")
        found.append(body if text.startswith("---") and sep else text)
    return found


def main() -> None:
    sets = {"bench corpus (make_corpus, 10k)": bodies(ROOT / "bench" / ".work" / "corpus-10000" / "content", 2000),
            "sample column": bodies(ROOT / "content", 100),
            "hebei_xxgk body": [json.loads(line)["body"] or "" for line in open(CORPUS / "hebei_xxgk.jsonl", encoding="utf-8")],
            "govcn body_html": [json.loads(line)["body_html"] or ""
                                for line in open(CORPUS / "govcn-policies-2019.jsonl", encoding="utf-8")]}
    md = markdown.Markdown(extensions=list(EXTENSIONS), output_format="html")

    def python_markdown(text: str) -> str:
        md.reset()
        return md.convert(text)

    gfm_options = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES  # raw HTML kept, as Gongkai allows it
    engines = (("Python-Markdown", python_markdown),
               ("cmarkgfm", lambda text: cmarkgfm.github_flavored_markdown_to_html(text, options=gfm_options)),
               ("markdown-it-pyrs", markdown_it_pyrs.MarkdownIt("gfm").render))
    for name, texts in sets.items():
        if not texts:
            continue
        print(f"## {name}: {len(texts)} bodies, {sum(map(len, texts)) / len(texts):.0f} characters on average")
        reference = None
        for label, convert in engines:
            best = min(_timed(convert, texts) for _ in range(3))
            cleaned = [nh3.clean(convert(text)) for text in texts]
            if reference is None:
                reference = cleaned
            exact = sum(a == b for a, b in zip(reference, cleaned))
            loose = sum(_loose(a) == _loose(b) for a, b in zip(reference, cleaned))
            print(f"{label:17s} {best / len(texts) * 1000:6.3f} ms a body; byte-identical after nh3 {exact}/{len(texts)}, "
                  f"identical but for whitespace {loose}/{len(texts)}")


def _timed(convert, texts: list[str]) -> float:
    started = time.perf_counter()
    for text in texts:
        convert(text)
    return time.perf_counter() - started


def _loose(html: str) -> str:
    return re.sub(r"\s+", " ", html).replace("> <", "><").strip()


if __name__ == "__main__":
    main()
