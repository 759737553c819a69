"""A document as search sees it (generator/records.py): one record, from which the terms, the
filters, the result card and Pagefind's page are all made."""
from __future__ import annotations

import datetime as dt
import html
import itertools
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from gongkai import markup, postings, records, traditional


def document(**fields):
    values = dict(url="doc/a/2021-1/", title="关于做好防汛工作的通知", date=dt.date(2021, 6, 1), index_no="a/2021-1",
                  doc_no="兰政发〔2021〕3号", agencies=(SimpleNamespace(name="兰山区人民政府"),),
                  category=SimpleNamespace(path=("法定主动公开内容", "通知公告")), mode="主动公开", validity="有效",
                  subject=None)
    return SimpleNamespace(**{**values, **fields})


def test_a_record_holds_the_fields_and_the_body_as_text():
    record = records.of(document(), "<p>做好<strong>防汛</strong>工作。</p><ul><li>一</li><li>二</li></ul>",
                        {"兰山区人民政府": ("区政府",)})
    assert record.text == "做好防汛工作。\n一\n二"
    assert record.aliases == ("区政府",) and record.doc_no == "兰政发〔2021〕3号" and record.subject == ""
    assert record.facets() == [("column", "法定主动公开内容"), ("category", "法定主动公开内容"),
                               ("category", "法定主动公开内容/通知公告"), ("agency", "兰山区人民政府"),
                               ("year", "2021"), ("mode", "主动公开"), ("validity", "有效")]
    assert "区政府" in record.catalogue() and "a/2021-1" in record.catalogue()


def test_the_card_is_what_a_result_shows_and_nothing_else():
    record = records.of(document(), "<p>正文</p>", {})
    card = json.loads(record.card())
    assert card == {"title": "关于做好防汛工作的通知", "date": "2021-06-01", "agency": "兰山区人民政府",
                    "doc_no": "兰政发〔2021〕3号", "index_no": "a/2021-1", "mode": "主动公开", "validity": "有效",
                    "text": "正文"}
    # Named by its content: another text, another name; the same record, the same bytes.
    other = records.of(document(), "<p>正文二</p>", {})
    assert postings.card_path("", record.card()) != postings.card_path("", other.card())
    assert records.of(document(), "<p>正文</p>", {}).card() == record.card()
    assert postings.card_of(postings.card_path("zh-hant/", record.card()))[0] == "zh-hant/"
    assert postings.card_of("postings/index.json") is None


def test_a_catalogue_entry_has_no_text_anywhere():
    # The gate gives a 依申请公开 entry an empty body; nothing of it can reach the card or the terms.
    record = records.of(document(mode="依申请公开"), "", {})
    assert record.text == "" and record.paragraphs == [] and json.loads(record.card())["text"] == ""
    terms = set(json.loads(postings.document_terms(record))[0])
    assert "mode=依申请公开" in terms and {"防汛", "通知"} <= terms  # its title is catalogue, and searchable


def test_the_mirror_converts_what_readers_read_and_keeps_addresses_and_codes():
    record = records.of(document(), "<p>发布</p>", {"兰山区人民政府": ("区政府",)})
    converted = records.converted(record, lambda texts: [f"[{t}]" for t in texts])
    assert converted.title == "[关于做好防汛工作的通知]" and converted.text == "[发布]"
    assert converted.agencies == ("[兰山区人民政府]",) and converted.aliases == ("[区政府]",)
    assert converted.category == ("[法定主动公开内容]", "[通知公告]")
    assert (converted.url, converted.date, converted.index_no) == (record.url, record.date, record.index_no)


def test_plain_text_of_sanitised_html():
    # Attribute values may hold > (the serializer escapes only & and "): no text leaks out of a tag.
    assert markup.plain('<p><img alt="a>b" src="x.png">正文</p>') == "正文"
    # A soft line break between Han characters is no break; blocks are lines; spaces collapse.
    assert markup.plain("<p>做好防汛\n工作</p><h2>二、  要求</h2><p>a\nb</p>") == "做好防汛工作\n二、 要求\na b"
    assert markup.plain("<p>1 &lt; 2 &amp; 3</p>") == "1 < 2 & 3"


def test_pagefind_reads_the_title_the_catalogue_and_the_lead_of_the_body():
    # postings/ answers every query of two characters or more from the whole text; Pagefind
    # (one-character queries) gets the opening LEAD characters, not the whole body.
    from gongkai.build import THEMES
    from gongkai.render import environment
    opening, later = "甲" * (records.LEAD - 10), "乙" * 30
    record = records.of(document(), f"<p>{opening}</p><p>{later}</p><p>结尾独有的一段话</p>", {})
    assert record.lead() == [opening, "乙" * 10]
    page = environment([THEMES / "default" / "templates"]).get_template("search_record.html").render(
        record=record, lang="zh-CN")
    assert record.title in page and record.index_no in page and opening in page
    assert "乙" * 11 not in page and "结尾独有" not in page
    assert records.of(document(), "<p>短</p>", {}).lead() == ["短"] and records.of(document(), "", {}).lead() == []


def test_the_mirror_terms_derived_from_the_simplified_ones_equal_terms_computed_afresh(monkeypatch):
    """postings.document_terms gives the 繁體 mirror's record the terms of the 简体 record it was
    converted from where both fold to the same text (a derived copy): compared here with terms
    cut from the mirror's own text, on real bodies, both ways taken."""
    corpus = Path(__file__).resolve().parents[3] / "shared/corpus/hebei_xxgk.jsonl"
    if not corpus.is_file():
        pytest.skip("../shared/corpus/hebei_xxgk.jsonl is not beside this checkout")
    cut = []  # each time terms are cut from a text, not taken from the record before
    weighted = postings._weighted
    monkeypatch.setattr(postings, "_weighted", lambda *texts: cut.append(1) or weighted(*texts))
    converter = traditional.Converter("s2t")
    derived = 0
    with corpus.open(encoding="utf-8") as lines:
        for line in itertools.islice(lines, 300):
            row = json.loads(line)
            record = records.of(document(title=row["title"], doc_no=row["doc_no"] or None), "".join(
                f"<p>{html.escape(p)}</p>" for p in (row["body"] or "").split("\n")), {})
            mirror = records.converted(record, converter.texts)
            postings.document_terms(record)
            cut.clear()
            terms = postings.document_terms(mirror)  # after its 简体 record's, as a document job makes them
            derived += not cut
            postings._LAST.clear()
            assert terms == postings.document_terms(mirror), row["id"]
    assert 0 < derived < 300  # both ways were taken (答复 → 答覆 folds to another text: cut afresh)
