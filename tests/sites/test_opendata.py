"""Open data: catalogue.json and catalogue.csv read back, and the page that documents them."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from gongkai import opendata
from gongkai.build import build
from gongkai.config import load_config
from gongkai.content import load_documents
from gongkai.disclosure import publishable
from gongkai.errors import Report
from helpers import doc, make_site

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("data") / "output"
    build(ROOT / "config.yml", ROOT / "content", out)
    report = Report()
    config = load_config(ROOT / "config.yml", report)
    documents = load_documents(config, ROOT / "content", report)
    return out, config, documents


def test_json_lists_every_published_document_newest_first(site):
    out, config, documents = site
    data = json.loads((out / opendata.JSON).read_text(encoding="utf-8"))
    published = sorted(publishable(documents), key=lambda d: d.sort_key)
    assert [row["index_no"] for row in data["documents"]] == [d.index_no for d in published]
    assert data["count"] == len(published) > 10
    withheld = [d for d in documents if d.mode == "不予公开"]
    assert withheld and not {d.index_no for d in withheld} & {row["index_no"] for row in data["documents"]}
    assert [f["key"] for f in data["fields"]] == [c.key for c in opendata.COLUMNS]
    by_index = {d.index_no: d for d in published}
    for row in data["documents"]:
        d = by_index[row["index_no"]]
        assert set(row) == {c.key for c in opendata.COLUMNS}
        assert row["url"] == config.base_url + d.url and row["date"] == d.date.isoformat()
        assert row["agencies"] == [a.name for a in d.agencies] and row["category"] == d.category.key
        if d.mode == "依申请公开":
            assert row["summary"] is None and row["attachments"] == []


def test_csv_opens_in_excel_and_holds_what_json_holds(site):
    out, _config, _documents = site
    raw = (out / opendata.CSV).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and not raw.startswith(b"\xef\xbb\xbf\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == [c.zh for c in opendata.COLUMNS]
    data = json.loads((out / opendata.JSON).read_text(encoding="utf-8"))["documents"]
    assert len(rows) - 1 == len(data)
    for line, row in zip(rows[1:], data):
        want = ["" if v is None else opendata.SEPARATOR.join(v) if isinstance(v, list) else str(v)
                for v in (row[c.key] for c in opendata.COLUMNS)]
        assert line == want


def test_the_data_page_documents_every_field_and_links_both_files(site):
    out, _config, _documents = site
    for page in ("data/index.html", "elder/data/index.html"):
        html = (out / page).read_text(encoding="utf-8")
        prefix = "../../" if page.startswith("elder/") else "../"
        assert f'href="{prefix}catalogue.csv"' in html and f'href="{prefix}catalogue.json"' in html
        for column in opendata.COLUMNS:
            assert f"<th scope=\"row\">{column.zh}</th><td><code>{column.key}</code></td>" in html
    assert 'href="data/"' in (out / "index.html").read_text(encoding="utf-8")


def test_spreadsheet_formulas_are_defused_and_order_is_stable(site_root):
    site = make_site(site_root, {
        "a.md": doc(title="=HYPERLINK(\"http://evil.example\")", index_no="csj/2024-0000002", date="2024-03-01"),
        "b.md": doc(title="同日另一篇", index_no="csj/2024-0000001", date="2024-03-01"),
        "c.md": doc(title="早一天", index_no="csj/2024-0000009", date="2024-02-29", 附件="[表 1.xlsx]"),
    })
    (site.content / "表 1.xlsx").write_bytes(b"x")
    site.build()
    rows = list(csv.reader(io.StringIO((site.output / opendata.CSV).read_bytes().decode("utf-8-sig"), newline="")))
    assert [r[0] for r in rows[1:]] == ["csj/2024-0000001", "csj/2024-0000002", "csj/2024-0000009"]
    assert rows[2][1] == "'=HYPERLINK(\"http://evil.example\")"
    data = json.loads((site.output / opendata.JSON).read_text(encoding="utf-8"))
    assert data["documents"][2]["attachments"] == [data["base_url"] + "files/%E8%A1%A8%201.xlsx"]
    assert (site.output / "files/表 1.xlsx").is_file()
    assert data["documents"][1]["title"] == "=HYPERLINK(\"http://evil.example\")"  # JSON keeps the value as written
