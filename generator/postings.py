"""Our own search index: which documents hold each Han bigram, each ASCII word and each filter
value, and how strongly, and the card each result shows. search.js decides what a query finds
from these files, ranks it and shows it; Pagefind is not needed for any of it.

Why not Pagefind: it segments Chinese with a dictionary, and a phrase cut differently in a page
than in a query is not found; and when its index is split into shards, each shard drops the
query words it does not hold, so results depend on how the index was cut. Bigrams are the
classic answer for Chinese (Lucene's CJK analyzer works the same way): every phrase of two or
more characters is found in every page that holds it, and one index over all documents gives
the same answer however it is cut.

Layout under postings/ (all JSON, all but index.json named by their content's hash):
  index.json                   the format (format_(): the digits of ids and weights, rows a table file
                               holds, hashes a page holds; search.js reads them here, nowhere else),
                               documents, bucket count, the hash pages' hashes, each section's files,
                               the folding table's file, the agencies' names and short names, the
                               Pagefind shards
  h/<k>-<hash>.json            the hashes of buckets k*HASH_PAGE…: bucket b's file is b/<b>-<hash>.json
                               ("" for a bucket no term falls in)
  b/<bucket>-<hash>.json       {section: {term: postings}} for the terms that hash to this bucket
  s/<section>-dates-<hash>.json  the dates of a section's documents (yyyymmdd each), in local-id order
  s/<section>-<k>-<hash>.json  rows k*CHUNK… of the section: [URL, card hash]
  d/<hash>.json                a document's card (records.SearchRecord.card): title, date, agency,
                               文号, 索引号, validity and text, for the result and its excerpt
A term's postings in a section are 3-character groups: the document's local id (two digits of
ALPHABET, three in a section of more than 1024) and its weight (one digit, 1-31; 0 for filters).
A term held by more than half of the section's documents is written as COMPLEMENT, one weight
digit for all, and the ids of the documents that do not hold it.
Sections are built from each document's terms file, so an edit rebuilds one section.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
import zlib
from collections import Counter, defaultdict

from . import fold

FOLDER = "postings"
INDEX = FOLDER + "/index.json"  # the one file not named by its content
ALPHABET = "0123456789abcdefghijklmnopqrstuv"  # search.js: the same 32 digits
SECTION_SIZE = 400  # documents a section holds at most; an edit rebuilds one section
CHUNK = 64  # rows of a section table a file holds
HASH_PAGE = 256  # bucket file hashes a file of h/ holds: a query reads the pages of its buckets only
COMMON = 0.5  # a term in more than this share of a section's documents is written by its complement
COMPLEMENT = "!"  # begins such a term's postings (not a digit of ALPHABET)
TITLE_BOOST = 5  # a term in the title counts as this many in the text: titles say what a document is
DOC_NO_BOOST = 5  # and so do the terms of its own 文号: it is the document the 文号 names, not one citing it
K1, B, AVERAGE_LENGTH = 1.2, 0.75, 1000  # BM25; a fixed average keeps weights independent of other documents
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")  # search.js has the same rule
_WORD = re.compile(r"[a-z0-9]+")

# Quotes and book-title marks inside a phrase do not split it: a query 数字河北工程 finds
# “数字河北”工程, and 条例实施 finds 《条例》实施. (search.js: the same characters.)
_TRANSPARENT = re.compile("[\"'“”‘’「」『』《》〈〉]")
# 年, 第 and 号 next to a number are part of how a 文号 or 令号 is written, not words:
# 〔2021〕3号, 2021年第3号 and [2021]003号 give the same terms. (search.js: the same rules.)
_YEAR_OR_NUMBER = re.compile(r"([0-9])\s*[年号]")
# A year and a serial typed together (冀政办字2023132号) are two numbers, as 〔2023〕132号 is.
_YEAR_AND_SERIAL = re.compile(r"(^|[^0-9])((?:19|20)[0-9]{2})([0-9]{1,4})号")
_ORDINAL = re.compile(r"第\s*([0-9])")
_LEADING_ZEROS = re.compile(r"^0+(?=[0-9])")
# A 文号's year and serial, however bracketed (〔2019〕第6号, [2019]06号, 2019年第6号): one more term,
# #2019/6, so that a document naming that 文号 is told from one holding 2019 and 6 apart.
_DOC_NUMBER = re.compile(r"((?:19|20)[0-9]{2})\s*[\]）)】〕]?\s*年?\s*第?\s*0*([0-9]{1,4})\s*号")


def normalize(text: str) -> str:
    """The text as terms are cut from it, on both sides: compatibility forms (full-width letters
    and digits) unified, lower case, 繁體 folded to 简体, quotes dropped, 文号 words spaced."""
    return _spaced(_marked(text))


def tokens(text: str) -> list[str]:
    """Han bigrams and ASCII words of the text, with repeats; numbers without leading zeros (063
    is 63). A lone Han character is no term: search.js ignores it in queries too (it would
    match half of everything)."""
    return _tokens(_marked(text))


def _tokens(marked: str) -> list[str]:
    """tokens() of the text whose _marked() this is."""
    found = [f"#{year}/{serial}" for year, serial in _DOC_NUMBER.findall(marked)]
    text = _spaced(marked)
    for run in _HAN.findall(text):
        found += [run[i:i + 2] for i in range(len(run) - 1)]
    found += [_LEADING_ZEROS.sub("", word) for word in _WORD.findall(text)]
    return found


def _marked(text: str) -> str:
    """The text as 文号 are found in it: normalized up to, not including, the spacing of numbers."""
    text = fold.fold(unicodedata.normalize("NFKC", text).lower())
    return _YEAR_AND_SERIAL.sub(r"\1\2 \3号", _TRANSPARENT.sub("", text))


def _spaced(marked: str) -> str:
    """年, 第 and 号 beside numbers made spaces: the last step of normalize()."""
    return _ORDINAL.sub(r" \1", _YEAR_OR_NUMBER.sub(r"\1 ", marked))


def weight(count: float, length: int) -> int:
    """BM25's term-frequency part, scaled to 1-31: the query side adds idf at search time."""
    part = count * (K1 + 1) / (count + K1 * (1 - B + B * length / AVERAGE_LENGTH))
    return max(1, min(31, round(31 * part / (K1 + 1))))


def document_terms(record) -> bytes:
    """One document's terms file: its terms with their weights, and its filter values, from its
    search record (generator/records.py), so postings/ holds what the record holds and no more."""
    marked = tuple(_marked(text) for text in ("\n".join([record.title, record.text, record.catalogue()]),
                                                record.title, record.doc_no))
    if _LAST and _LAST[0] == marked:
        terms, weights = _LAST[1], _LAST[2]
    else:
        terms, weights = _weighted(*marked)
        _LAST[:] = [marked, terms, weights]
    facets = sorted({f"{name}={value}" for name, value in record.facets()})
    return json.dumps([terms + facets, weights + "0" * len(facets)], ensure_ascii=False).encode("utf-8")


# The last document's terms and weights, by the text they are cut from (_marked, folded to 简体):
# the 繁體 mirror's record of a document comes next, and its text most often folds back to the
# very same, which gives the very same terms. Only its filter values (converted) differ.
_LAST: list = []


def _weighted(body: str, title: str, doc_no: str) -> tuple[list[str], str]:
    """The terms, sorted, and their weights (a digit each), from the _marked() texts."""
    found = _tokens(body)
    counts = Counter(found)
    for term, n in Counter(_tokens(title)).items():
        counts[term] += TITLE_BOOST * n
    for term in set(_tokens(doc_no)):
        counts[term] += DOC_NO_BOOST
    terms = sorted(counts)
    digit = {n: ALPHABET[weight(n, len(found))] for n in set(counts.values())}  # few distinct counts
    return terms, "".join([digit[counts[t]] for t in terms])


def format_() -> dict:
    """What search.js needs to read these files, written into index.json so that it is defined
    here only: the digits of ids and weights, rows a table file holds, the complement marker,
    bucket hashes a page of h/ holds."""
    return {"digits": ALPHABET, "chunk": CHUNK, "complement": COMPLEMENT, "page": HASH_PAGE}


def bucket_count(documents: int) -> int:
    """About eight documents' worth of postings a bucket, a power of two (search.js reads it from index.json)."""
    return max(16, 1 << math.ceil(math.log2(max(1, documents / 8))))


def bucket(term: str, buckets: int) -> int:
    return zlib.crc32(term.encode("utf-8")) & (buckets - 1)  # search.js: crc32 too


def width(size: int) -> int:
    return 2 if size <= len(ALPHABET) ** 2 else 3


def section_key(name: str, buckets: int, records: list[tuple[str, str]]) -> str:
    """What a section is made of: its documents' URLs and render keys (which cover their terms)."""
    digest = hashlib.sha256(f"{name}|{buckets}|{SECTION_SIZE}".encode())
    for url, key in records:
        digest.update(f"{url}|{key}\n".encode())
    return digest.hexdigest()


def section(name: str, terms_files: list[bytes], buckets: int) -> dict[int, str]:
    """A section's part of each bucket file, as JSON text: `"name":{"term":"postings",…}`."""
    digits = width(len(terms_files))
    ids = [_number(i, digits) for i in range(len(terms_files))]
    postings: dict[str, list[str]] = defaultdict(list)
    for i, data in enumerate(terms_files):
        terms, weights = json.loads(data)
        code = ids[i]
        for term, w in zip(terms, weights):
            postings[term].append(code + w)
    parts: dict[int, list[str]] = defaultdict(list)
    size = len(terms_files)
    for term in sorted(postings):
        entries = postings[term]
        if len(entries) > size * COMMON:
            # Held by most of the section: written as the documents without it, and one weight
            # for all (the median). Its idf is near nothing, so the weights hardly rank; what
            # matters is who lacks it, and those are few.
            weight = sorted((e[-1] for e in entries), key=ALPHABET.index)[len(entries) // 2]
            held = {e[:-1] for e in entries}
            missing = "".join(code for code in ids if code not in held)
            parts[bucket(term, buckets)].append(f'{_string(term)}:"{COMPLEMENT}{weight}{missing}"')
        else:
            parts[bucket(term, buckets)].append(f'{_string(term)}:"{"".join(entries)}"')
    head = _string(name)
    return {b: f"{head}:{{{','.join(items)}}}" for b, items in parts.items()}


def _number(value: int, digits: int) -> str:
    out = ""
    for _ in range(digits):
        value, digit = divmod(value, len(ALPHABET))
        out = ALPHABET[digit] + out
    return out


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _file(out: dict, stem: str, value) -> str:
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    digest = digest_of(data)
    out[f"{stem}-{digest}.json"] = data
    return digest


def card_path(script: str, card: bytes) -> str:
    """Where a document's card is published: named by its content's hash, long enough that
    100,000 cards never share a name."""
    return f"{script}{FOLDER}/d/{hashlib.sha256(card).hexdigest()[:16]}.json"


def card_of(path: str) -> tuple[str, str] | None:
    """(script, hash) of a card from its path (card_path); None for another file."""
    script, found, name = path.rpartition(f"{FOLDER}/d/")
    return (script, name.removesuffix(".json")) if found and "/" not in name else None


def digest_of(data: bytes) -> str:
    """What names a file of postings/: browsers may keep it for good."""
    return hashlib.sha256(data).hexdigest()[:10]


def files(sections: list[tuple[str, list, dict[int, str]]], buckets: int, documents: int,
          shards: list[str] = (), agencies: tuple = ()) -> dict[str, bytes]:
    """Every file of postings/ but the cards (path → bytes) from the sections in order: (name,
    rows, parts), a row being [URL, date as yyyymmdd, card hash] of a document, in local-id order.
    `shards` names the Pagefind bundles under pagefind/, for a 联合搜索 page elsewhere to merge."""
    out: dict[str, bytes] = {}
    hashes = []
    for b in range(buckets):
        parts = [parts[b] for _name, _rows, parts in sections if b in parts]
        if not parts:
            hashes.append("")
            continue
        data = ("{" + ",".join(parts) + "}").encode("utf-8")
        digest = digest_of(data)
        out[f"{FOLDER}/b/{b}-{digest}.json"] = data
        hashes.append(digest)
    tables = []
    for name, rows, _parts in sections:
        # Rows in chunks: a page of results needs a few rows of each section, not all of them;
        # sorting by date needs every date, kept apart and small.
        dates = _file(out, f"{FOLDER}/s/{name}-dates", "".join(f"{row[1]:08d}" for row in rows))
        chunks = [_file(out, f"{FOLDER}/s/{name}-{k}", [row[:1] + row[2:] for row in rows[start:start + CHUNK]])
                  for k, start in enumerate(range(0, len(rows), CHUNK))]
        tables.append([name, len(rows), width(len(rows)), dates, chunks])
    folding = _file(out, f"{FOLDER}/fold", fold.pairs())  # search.js folds queries with it
    # The buckets' hashes in pages: listed in index.json they were most of its size (16,384 at
    # 100,000 documents, 110 KiB compressed), which every query paid before its first result.
    pages = [_file(out, f"{FOLDER}/h/{k}", hashes[start:start + HASH_PAGE])
             for k, start in enumerate(range(0, buckets, HASH_PAGE))]
    index = {"format": format_(), "documents": documents, "buckets": buckets, "pages": pages, "sections": tables,
             "shards": list(shards), "fold": folding, "agencies": list(agencies)}
    out[INDEX] = json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return out
