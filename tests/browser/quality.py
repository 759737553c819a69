"""Search quality on real documents: the query set of tests/search/hebei.yml run through the real
search page, scored per kind (recall@1, recall@5, MRR, P@5, honest no-answer).

Used by tests/browser/test_search_quality.py; the pieces that need no browser (loading the set and
the imported corpus, checking that the set is honest, scoring) are plain functions, so that they
can be tried from a Python prompt too.
"""
from __future__ import annotations

import re
import statistics
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[2]
QUERY_SET = ROOT / "tests/search/hebei.yml"

# The importer's config and map for the Hebei corpus, as tests/sites/test_import.py has them
# (CONFIG_HEBEI, MAP_HEBEI; imported from there, so the two can never drift apart).
# The map says `索引号: id`: a document's 索引号 is the corpus record's `id`.
if str(ROOT / "tests" / "sites") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests" / "sites"))
from test_import import CONFIG_HEBEI, MAP_HEBEI  # noqa: E402

KNOWN_ITEM = ("title", "fragment", "docno", "body", "agency", "typo", "hant")
KINDS = KNOWN_ITEM + ("common", "none")
TOP = 5  # recall@5 and P@5
SHOWN = 10  # the first page of results: MRR is MRR@10 (a document further down counts 0)


# ---------------------------------------------------------------------------------------------
# The corpus, imported as a site owner would import it

def import_hebei(source: Path, folder: Path) -> Path:
    """`gongkai import` of the Hebei export into folder/content (config.yml beside it); returns folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.yml").write_text(CONFIG_HEBEI, encoding="utf-8")
    (folder / "map.yml").write_text(MAP_HEBEI, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "gongkai", "import", str(source), "--map", str(folder / "map.yml"),
                           "--config", str(folder / "config.yml"), "--content", str(folder / "content")],
                          capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"import failed:\n{done.stdout}\n{done.stderr}")
    return folder


@dataclass(frozen=True)
class Doc:
    index_no: str
    title: str
    agency: str
    doc_no: str
    text: str  # the body as imported (Markdown of plain paragraphs)
    flat_title: str = ""  # squash(title)
    flat: str = ""  # squash(title), a NUL, squash(text): what holds() searches


def load_corpus(content: Path) -> dict[str, Doc]:
    """The imported documents by 索引号, read back from their front matter and body."""
    docs = {}
    for path in sorted(content.rglob("*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.safe_load(front)
        title = str(meta["标题"])
        docs[str(meta["索引号"])] = Doc(str(meta["索引号"]), title, str(meta["发布机构"]), str(meta.get("文号") or ""),
                                       body, squash(title), squash(title) + "\0" + squash(body))
    return docs


# Quotes, brackets of titles, enumeration commas, spaces: a reader types none of them. A phrase
# "holds" when it is in the text with these removed on both sides (NFKC first: full-width forms).
_SQUASH = re.compile(r"[\s“”‘’\"'「」『』《》〈〉、，。：；！？·・\u00a0\u3000]")


def squash(text: str) -> str:
    return _SQUASH.sub("", unicodedata.normalize("NFKC", text)).lower()


def holds(doc: Doc, phrase: str) -> bool:
    """P@5 relevance: the phrase is in the document's title or text (both squashed). Judged from
    the corpus record of the returned 索引号, not from the page's excerpt (a 120-character window
    that need not show the phrase even when the document holds it)."""
    return squash(phrase) in (doc.flat or squash(doc.title) + "\0" + squash(doc.text))


# ---------------------------------------------------------------------------------------------
# The query set

def load_queries(path: Path = QUERY_SET) -> list[dict]:
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    for case in cases:
        case["q"] = str(case["q"])
        if "expect" in case:
            case["expect"] = [str(x) for x in case["expect"]]
    return cases


def _hamming_one(q: str, title: str) -> bool:
    """q is a stretch of the title with exactly one character replaced."""
    n = len(q)
    if q[:n // 2] not in title and q[n // 2:] not in title:  # one replaced character leaves one half whole
        return False
    return any(sum(a != b for a, b in zip(q, title[i:i + n])) == 1 for i in range(len(title) - n + 1))


def doc_no_key(text: str) -> tuple[str, int, int] | None:
    """A 文号 or 令号 as (issuer, year, serial) however it is written: any bracket or none, 年 and
    第 or not, leading zeros, full-width forms; the issuer with 河北省人民政府 spelt 省政府 too.
    For checking the query set only; the search engine has its own."""
    t = re.sub(r"\s", "", unicodedata.normalize("NFKC", text))
    t = t.replace("河北省人民政府", "省政府").replace("河北省政府", "省政府")
    m = re.fullmatch(r"(.+?)[\[【〔(（]?(\d{4})[\]】〕)）年]?第?0*(\d+)号", t)
    return (m[1].rstrip("第"), int(m[2]), int(m[3])) if m else None


def cites_doc_no(doc: Doc, key: tuple[str, int, int]) -> bool:
    """The document's 文号 field or its text has this 文号 in any spelling (see doc_no_key)."""
    if doc.doc_no and doc_no_key(doc.doc_no) == key:
        return True
    issuer, year, serial = key
    issuers = [re.escape(issuer)] + (["河北省人民政府令", "河北省政府令"] if issuer == "省政府令" else [])
    spelt = re.compile(rf"(?:{'|'.join(issuers)})\s*[\[【〔(（]?\s*{year}\s*[\]】〕)）年]?\s*第?\s*0*{serial}\s*号")
    return bool(spelt.search(doc.flat or unicodedata.normalize("NFKC", doc.title + "\n" + doc.text)))


def check_case(case: dict, docs: dict[str, Doc], to_traditional) -> list[str]:
    """Why this entry of the query set would not be honest (empty when it is): every claim it
    makes is checked against the imported documents."""
    kind, q = case.get("kind"), case["q"]
    problems = []
    if kind not in KINDS:
        return [f"unknown kind {kind!r}"]
    expect = case.get("expect", [])
    if kind in KNOWN_ITEM:
        if not expect:
            return ["a known-item query needs expect"]
        missing = [x for x in expect if x not in docs]
        if missing:
            return [f"no such 索引号 {missing}"]
    wanted = [docs[x] for x in expect]
    sq = squash(q)

    def exactly(found: list[str], what: str):
        if sorted(found) != sorted(expect):
            more = f" (+{len(found) - 12} more)" if len(found) > 12 else ""
            problems.append(f"{what}: {sorted(found)[:12]}{more} ≠ expect {sorted(expect)}")

    if kind == "title":
        exactly([d.index_no for d in docs.values() if d.flat_title == sq], "documents with this title")
    elif kind == "fragment":
        if not 4 <= len(q) <= 10:
            problems.append("a fragment has 4-10 characters")
        exactly([d.index_no for d in docs.values() if sq in d.flat_title], "titles holding the fragment")
    elif kind == "body":
        if any(sq in d.flat_title for d in wanted):
            problems.append("a body phrase must not be in the title")
        exactly([d.index_no for d in docs.values() if holds(d, q)], "documents holding the phrase")
    elif kind == "docno":
        of = case.get("of", "")
        exactly([d.index_no for d in docs.values() if d.doc_no and doc_no_key(d.doc_no) == doc_no_key(of)],
                f"documents with 文号 {of}")
        if doc_no_key(q) is None or doc_no_key(q) != doc_no_key(of):
            problems.append(f"{q} is not a spelling of {of}")
    elif kind == "agency":
        agency, topic = case.get("agency", ""), case.get("topic", "")
        if topic not in q or not q.replace(topic, "").strip():
            problems.append("q is an agency name and the topic")
        exactly([d.index_no for d in docs.values() if d.agency == agency and squash(topic) in d.flat_title],
                f"documents of {agency} with {topic} in the title")
    elif kind == "typo":
        if len(q) < 6:
            problems.append("a typo query has 6 characters or more")
        if any(holds(d, q) for d in docs.values()):
            problems.append("the typo is in a document: not a typo")
        exactly([d.index_no for d in docs.values() if _hamming_one(sq, d.flat_title)],
                "titles holding q with one character replaced")
    elif kind == "hant":
        source = case.get("from", "")
        if to_traditional(source) != q or q == source:
            problems.append(f"q is not the 繁體 of {source!r}: {to_traditional(source)!r}")
        # A title (stretch) converted means the documents with it in their title; a body phrase, those holding it.
        in_titles = [d.index_no for d in docs.values() if squash(source) in d.flat_title]
        exactly(in_titles or [d.index_no for d in docs.values() if holds(d, source)], f"documents holding {source}")
    elif kind == "common":
        phrase = case.get("relevant", "")
        if sum(holds(d, phrase) for d in docs.values()) < 10:
            problems.append(f"fewer than 10 documents hold {phrase!r}: not a common word")
    elif kind == "none":
        if expect:
            problems.append("a no-answer query expects nothing")
        if any(holds(d, q) for d in docs.values()):
            problems.append("a document holds the query")
        key = doc_no_key(q)
        if key and any(cites_doc_no(d, key) for d in docs.values()):
            problems.append("a document has or cites this 文号")
    return problems


# ---------------------------------------------------------------------------------------------
# The search page

# Waits until the search has answered: the status says so (found, partial 没有完全匹配…, nothing
# found, search unavailable; 简体 and 繁體), or #search-results carries data-match while the status
# no longer says 正在搜索. (search_page.wait_for_results knows no 没有完全匹配 status yet.)
_WAIT = """() => {
  const status = (document.getElementById('search-status') || {}).textContent || '';
  const list = document.getElementById('search-results');
  return /^(找到|没有找到|沒有找到|没有完全匹配|沒有完全匹配|搜索暂时无法使用|搜索暫時無法使用)/.test(status.trim())
      || !!(list && list.dataset.match && !/^正在/.test(status.trim()));
}"""

# What the page shows, read in one round trip: the status, data-match and the first results.
_READ = """(top) => {
  const list = document.getElementById('search-results');
  const items = Array.from(document.querySelectorAll('#search-results > li')).slice(0, top);
  return {
    status: (document.getElementById('search-status').textContent || '').trim(),
    match: list ? (list.dataset.match || null) : null,
    count: document.querySelectorAll('#search-results > li').length,
    results: items.map(li => {
      const a = li.querySelector('h3 a');
      const meta = {};
      const dts = li.querySelectorAll('dt'), dds = li.querySelectorAll('dd');
      dts.forEach((dt, i) => { if (dds[i]) meta[dt.textContent.trim()] = dds[i].textContent.trim(); });
      return {title: a ? a.textContent : '', href: a ? a.getAttribute('href') : '', meta: meta};
    }),
  };
}"""

_DOC_PATH = re.compile(r"/doc/(.+?)/(?:index\.html)?$")


def result_id(result: dict) -> str:
    """A result's 索引号: the one it shows, else the one in its address (doc/<索引号>/)."""
    if result["meta"].get("索引号"):
        return result["meta"]["索引号"]
    found = _DOC_PATH.search(unquote(urlsplit(result["href"]).path))
    return found[1] if found else result["href"]


def is_no_match(status: str, match: str | None) -> bool:
    """The page says there is no match: #search-results data-match="none" ("partial" and "exact"
    are matches presented as such), or, on a page without the attribute, a status that starts
    with 没有找到 (沒有找到 on the 繁體 mirror). 「没有完全匹配的文件」 with a list is a partial match,
    not a no-match."""
    if match:
        return match == "none"
    return status.startswith(("没有找到", "沒有找到"))


_CLEAR = """() => {
  document.getElementById('search-status').textContent = '';
  delete document.getElementById('search-results').dataset.match;
}"""


def ask(page, site: str, q: str, fresh: bool = True) -> dict:
    """One query through the real search page: status, data-match, the first results.

    fresh: every query opens search/?q=… in the page, as a shared link does; nothing of an earlier
    query carries over. Otherwise (after a first search/?q=…) the query is typed into the page's
    search box and submitted with Enter, as a reader searching again does: faster when queries
    fall back to a Pagefind index the page would load anew each time (about a second each before
    issue 16), but what the page kept can change answers (the Pagefind fallback of that engine
    found 957 documents for a query after others, 887 on a fresh page)."""
    address = site + "search/"
    if fresh or not page.url.startswith(address):
        page.goto(address + "?" + urlencode({"q": q}))
    else:
        page.evaluate(_CLEAR)  # no status or data-match of the previous query can be taken for this one's
        page.fill("#search-q", q)
        page.press("#search-q", "Enter")
    page.wait_for_function(_WAIT)
    asked = parse_qs(urlsplit(page.url).query).get("q", [""])[0]
    if asked != q:
        raise AssertionError(f"the page searched {asked!r}, not {q!r}")
    shown = page.evaluate(_READ, SHOWN)
    shown["ids"] = [result_id(r) for r in shown["results"]]
    return shown


# ---------------------------------------------------------------------------------------------
# Scores

def first_rank(ids: list[str], expect: list[str]) -> int | None:
    """1-based rank of the first result that is any expected document (None if not shown)."""
    return next((i + 1 for i, x in enumerate(ids) if x in expect), None)


def score(case: dict, answer: dict, docs: dict[str, Doc]) -> dict:
    """One query's outcome: rank (known items), p5 (common), no_match (all kinds)."""
    row = {"kind": case["kind"], "q": case["q"], "status": answer["status"], "match": answer["match"],
           "ids": answer["ids"][:SHOWN], "titles": [r["title"] for r in answer["results"][:TOP]],
           "no_match": is_no_match(answer["status"], answer["match"])}
    if case["kind"] in KNOWN_ITEM:
        row["expect"] = case["expect"]
        row["rank"] = None if row["no_match"] else first_rank(row["ids"], case["expect"])
    elif case["kind"] == "common":
        top = [] if row["no_match"] else row["ids"][:TOP]
        # P@5 over five places: fewer than five results count the empty places as misses.
        row["p5"] = sum(1 for x in top if x in docs and holds(docs[x], case["relevant"])) / TOP
    return row


def table(rows: list[dict]) -> dict[str, dict]:
    """Per kind (and all known-item kinds together): n, recall@1, recall@5, MRR, P@5, no-match rate."""
    out = {}
    groups = {kind: [r for r in rows if r["kind"] == kind] for kind in KINDS}
    groups["known-item"] = [r for r in rows if r["kind"] in KNOWN_ITEM]
    for kind, group in groups.items():
        if not group:
            continue
        line = {"n": len(group)}
        if kind in KNOWN_ITEM or kind == "known-item":
            ranks = [r["rank"] for r in group]
            line["recall@1"] = sum(1 for x in ranks if x == 1) / len(ranks)
            line["recall@5"] = sum(1 for x in ranks if x and x <= TOP) / len(ranks)
            line["mrr"] = statistics.fmean(1 / x if x else 0.0 for x in ranks)  # 0 beyond the first page
        if kind == "common":
            line["p@5"] = statistics.fmean(r["p5"] for r in group)
        if kind == "none":
            line["said_no_match"] = sum(r["no_match"] for r in group) / len(group)
            # a looser reading, for the record: no match, or a list labelled as partial matches
            line["no_exact_claim"] = sum(r["no_match"] or r["match"] == "partial" for r in group) / len(group)
        out[kind] = line
    return out


def measure_lines(summary: dict[str, dict]) -> list[str]:
    def cell(line, key):
        return f"{line[key]:.2f}" if key in line else "   -"
    lines = [f"MEASURE {'kind':<11} {'n':>3}  r@1   r@5   MRR   P@5   no-match"]
    for kind, line in summary.items():
        partial = f"  (no match or labelled partial: {line['no_exact_claim']:.2f})" if "no_exact_claim" in line else ""
        lines.append(f"MEASURE {kind:<11} {line['n']:>3}  {cell(line, 'recall@1')}  {cell(line, 'recall@5')}  "
                     f"{cell(line, 'mrr')}  {cell(line, 'p@5')}  {cell(line, 'said_no_match')}{partial}")
    return lines
