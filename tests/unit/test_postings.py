"""postings/: terms, weights and the file layout search.js reads."""
from __future__ import annotations

import json

from gongkai import markup, postings
from gongkai.records import SearchRecord

def record(body: str = "<p>推进政务公开 2021 年 LanShan&lt;x&gt;。</p>", **fields) -> SearchRecord:
    values = dict(url="doc/a/1/", title="政务公开要点", date="2021-03-01", index_no="A/2021-1", doc_no="",
                  agencies=("兰山区&方城镇",), aliases=(), category=("法定主动公开内容", "工作要点"), mode="主动公开",
                  validity="有效", subject="", text=markup.plain(body))
    return SearchRecord(**{**values, **fields})


def test_tokens_are_bigrams_and_ascii_words():
    assert postings.tokens("政务公开") == ["政务", "务公", "公开"]
    # NFKC folds full-width forms; a lone Han character is no term; ASCII words are lowercased.
    assert postings.tokens("ＡＢ１２ 号 〔2016〕115号") == ["#2016/115", "ab12", "2016", "115"]


def test_weight_grows_with_count_and_falls_with_length():
    assert postings.weight(1, 1000) < postings.weight(3, 1000) < postings.weight(50, 1000) <= 31
    assert postings.weight(2, 200) > postings.weight(2, 5000) >= 1


def test_a_record_gives_its_terms_and_filters():
    terms, weights = json.loads(postings.document_terms(record()))
    found = dict(zip(terms, weights))
    assert {"政务", "务公", "公开", "开要", "要点", "推进", "2021", "lanshan", "x"} <= set(found)
    assert found["agency=兰山区&方城镇"] == "0" and found["year=2021"] == "0"
    assert found["category=法定主动公开内容/工作要点"] == "0" and found["column=法定主动公开内容"] == "0"
    # The catalogue values are searchable: the 索引号 and the column's name.
    assert {"工作", "作要"} <= set(found)
    # A title term weighs more than a term of the text alone.
    digit = postings.ALPHABET.index
    assert digit(found["要点"]) > digit(found["推进"])


def read_back(files: dict[str, bytes]) -> dict[str, set[str]]:
    """URL → terms, decoding the files as search.js does."""
    index = json.loads(files["postings/index.json"])
    tables = {name: [row for k, digest in enumerate(chunks) for row in json.loads(files[f"postings/s/{name}-{k}-{digest}.json"])]
              for name, _n, _w, _dates, chunks in index["sections"]}
    widths = {name: width for name, _n, width, _dates, _chunks in index["sections"]}
    sizes = {name: n for name, n, _width, _dates, _chunks in index["sections"]}
    complement = index["format"]["complement"]
    documents: dict[str, set[str]] = {}
    page = index["format"]["page"]
    hashes = [h for k, digest in enumerate(index["pages"]) for h in json.loads(files[f"postings/h/{k}-{digest}.json"])]
    assert len(hashes) == index["buckets"] and all(len(json.loads(files[f"postings/h/{k}-{d}.json"])) <= page
                                                   for k, d in enumerate(index["pages"]))
    for b, digest in enumerate(hashes):
        if not digest:
            continue
        for name, terms in json.loads(files[f"postings/b/{b}-{digest}.json"]).items():
            w = widths[name]
            for term, posted in terms.items():
                assert postings.bucket(term, index["buckets"]) == b
                if posted.startswith(complement):  # the documents without the term
                    without = {int(posted[i:i + w], 32) for i in range(2, len(posted), w)}
                    held = [local for local in range(sizes[name]) if local not in without]
                else:
                    held = [int(posted[i:i + w], 32) for i in range(0, len(posted), w + 1)]
                for local in held:
                    documents.setdefault(tables[name][local][0], set()).add(term)
    return documents


def test_files_read_back_to_every_document_and_term():
    small = [json.dumps([[f"t{i % 7}", f"u{i}"], "12"]).encode() for i in range(10)]
    large = [json.dumps([["common", f"w{i}"], "34"]).encode() for i in range(1100)]  # three-digit ids
    buckets = postings.bucket_count(1110)
    sections = [("2024", [[f"doc/a/{i}/", 20240101, f"s/{i}"] for i in range(10)], postings.section("2024", small, buckets)),
                ("2023", [[f"doc/b/{i}/", 20230101, f"t/{i}"] for i in range(1100)],
                 postings.section("2023", large, buckets))]
    files = postings.files(sections, buckets, 1110)
    index = json.loads(files["postings/index.json"])
    assert [s[2] for s in index["sections"]] == [2, 3] and index["documents"] == 1110
    name, count, _width, dates, chunks = index["sections"][1]
    assert len(chunks) == -(-1100 // postings.CHUNK)
    assert json.loads(files[f"postings/s/{name}-dates-{dates}.json"]) == "20230101" * 1100
    documents = read_back(files)
    assert documents["doc/a/3/"] == {"t3", "u3"}
    assert documents["doc/b/1099/"] == {"common", "w1099"}
    assert len(documents) == 1110
    # A term most of a section holds is written as the few documents without it.
    common = json.loads(files[next(k for k in files if k.startswith(f"postings/b/{postings.bucket('common', buckets)}-"))])
    assert common["2023"]["common"] == postings.COMPLEMENT + "3"  # its weight for all, no document without it
    # Same input, same bytes.
    assert postings.files(sections, buckets, 1110) == files



def test_inline_tags_do_not_split_a_phrase():
    terms = json.loads(postings.document_terms(record("<p>做<strong>好防</strong>汛</p><p>工作</p>")))[0]
    assert {"做好", "好防", "防汛"} <= set(terms) and "汛工" not in terms
