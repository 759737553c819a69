"""Real and generated corpora from ../shared build without error (test data, never republished)."""
from __future__ import annotations

import html
import json
import re
import subprocess
import sys


from helpers import config_for, corpus_config, make_site


def test_state_council_documents(site_root, shared):
    rows = [json.loads(line) for line in (shared / "corpus/govcn-policies-2019.jsonl").open(encoding="utf-8")]
    names = sorted({name for row in rows for name in row["agency"].split("、")})
    site = make_site(site_root, config=config_for([{"name": n, "slug": f"a{i}"} for i, n in enumerate(names)],
                                                  ["国务院文件/政策"]))
    for i, row in enumerate(rows):
        # Every value as the CMS gave it; json strings are valid YAML double-quoted scalars.
        meta = {"标题": row["title"], "索引号": row["index_no"], "公开目录": "国务院文件/政策",
                "发布机构": row["agency"], "发布日期": row["date"], "成文日期": row["written"],
                "公开方式": "主动公开", "文号": row["doc_no"], "主题分类": row["subject"]}
        front = "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items() if v)
        site.write(f"{i:02d}.md", f"---\n{front}\n---\n\n{row['body_html']}\n")
    result = site.build()
    assert result.documents == 60
    for row in rows:
        page = site.page(f"doc/{row['index_no']}/index.html")
        assert f'<h1 id="doc-title">{html.escape(row["title"], quote=False)}</h1>' in page
        assert f'<dt>文号</dt><dd>{row["doc_no"]}</dd>' in page
        assert "style=" not in page and "onclick" not in page
    joint = next(r for r in rows if r["agency"] == "国务院办公厅、中央军委办公厅")
    page = site.page(f"doc/{joint['index_no']}/index.html")
    assert len(re.findall(r'href="\.\./\.\./\.\./agency/a\d+/"', page)) == 2
    first = rows[0]  # 2019年01月27日 written, 2019年02月15日 published
    page = site.page(f"doc/{first['index_no']}/index.html")
    assert '<time datetime="2019-02-15">' in page and '<time datetime="2019-01-27">' in page


def test_generated_thousand_documents(site_root, shared, tmp_path):
    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(shared / "bench/make_corpus.py"), "--docs", "1000", "--out", str(corpus)],
                   check=True, capture_output=True, timeout=300)
    site = make_site(site_root, config=corpus_config(corpus / "corpus.yml"))
    site.content.rmdir()
    (corpus / "content").rename(site.content)
    result = site.build()
    assert result.documents == 1000
    public = sum(n for mode, n in result.by_mode.items() if mode != "不予公开")
    assert len(list((site.output / "doc").rglob("index.html"))) == public
