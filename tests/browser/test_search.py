"""Search in real Chromium: the query set, filters, sort, URL state, canaries, keyboard, axe."""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from chromium import serve
from gongkai.build import build
from search_page import index_no, search, show_all, shown, wait_for_results

ROOT = Path(__file__).resolve().parents[2]
QUERIES = yaml.safe_load((ROOT / "tests/search/queries.yml").read_text(encoding="utf-8"))
AXE = ROOT / "node_modules/axe-core/axe.min.js"


@pytest.mark.parametrize("case", QUERIES, ids=[f"{c['site']}:{c['q']}" for c in QUERIES])
def test_query_set(request, page, case):
    site = request.getfixturevalue(case["site"] + "_site")
    results = search(page, site, q=case["q"])
    found = [index_no(r) for r in results]
    ranks = {want: found.index(want) + 1 if want in found else None for want in case.get("expect", [])}
    kind = page.locator("#search-results").get_attribute("data-match")
    print(f"\nQUERY {case['site']} {case['q']} ranks={ranks} results={len(found)} match={kind}")
    assert kind == case.get("match", "none" if case.get("none") else "exact")
    if case.get("none"):  # said plainly, with what may help instead of a list
        assert found == [] and page.locator("#search-status").inner_text().startswith("没有找到")
        assert page.locator("#search-help").is_visible()
    else:
        assert page.locator("#search-help").is_visible() is (kind != "exact")
    for want, rank in ranks.items():
        assert rank is not None and rank <= 5, f"{want} not in the first five: {found[:5]}"
    if "titles_contain" in case:
        # Title matches first: in the first five, no result without the phrase in its title
        # comes before one with it (on the bench corpus, where 18+ titles hold it: all five).
        flags = [case["titles_contain"] in r["title"] for r in results[:5]]
        assert flags[0] and flags == sorted(flags, reverse=True), [r["title"] for r in results[:5]]
        assert all(flags) or case["site"] == "sample"


def test_excerpts_mark_the_matched_words(page, sample_site):
    results = search(page, sample_site, q="确权登记")
    # The 依申请公开 entry's title holds the words; its text is not published, and its excerpt says so.
    entry, = [r for r in results if r["title"] == "方城镇2021年度农村土地承包经营权确权登记明细"]
    assert entry["excerpt_html"].startswith("本信息属于依申请公开，正文不在网上公开")
    text = [r for r in results if r is not entry]
    assert text and "<mark>" in text[0]["excerpt_html"]
    assert set(re.findall(r"<(\w+)", text[0]["excerpt_html"])) == {"mark"}


FILTER_CASES = [
    ("column", "政府信息公开制度", lambda d: d.category.path[0] == "政府信息公开制度"),
    ("category", "法定主动公开内容/规划计划", lambda d: d.category.key.startswith("法定主动公开内容/规划计划")),
    ("agency", "兰山区方城镇", lambda d: "兰山区方城镇" in [a.name for a in d.agencies]),
    ("year", "2021", lambda d: d.date.year == 2021),
    ("mode", "依申请公开", lambda d: d.mode == "依申请公开"),
    ("validity", "有效", lambda d: d.validity == "有效"),
    ("subject", "政务公开", lambda d: d.subject == "政务公开"),
]


@pytest.fixture(scope="module")
def sample_documents():
    from gongkai.config import load_config
    from gongkai.content import load_documents
    from gongkai.errors import Report
    report = Report()
    config = load_config(ROOT / "config.yml", report)
    return {d.index_no: d for d in load_documents(config, ROOT / "content", report)}


@pytest.mark.parametrize("key, value, holds", FILTER_CASES, ids=[c[0] for c in FILTER_CASES])
def test_each_filter_narrows_the_results(page, sample_site, sample_documents, key, value, holds):
    everything = search(page, sample_site, every=True, q="公开")
    narrowed = search(page, sample_site, every=True, q="公开", **{key: value})
    assert 0 < len(narrowed) < len(everything) or key == "validity"
    assert all(holds(sample_documents[index_no(r)]) for r in narrowed)
    assert {index_no(r) for r in narrowed} == {index_no(r) for r in everything
                                                 if holds(sample_documents[index_no(r)])}
    # The form shows the filter that is in force.
    assert page.locator(f"[name={key}]").input_value() == value


def test_filters_alone_list_documents(page, sample_site, sample_documents):
    results = search(page, sample_site, every=True, agency="临沂市大数据局")
    assert sorted(index_no(r) for r in results) == sorted(
        n for n, d in sample_documents.items() if d.agencies[0].name == "临沂市大数据局" and d.mode != "不予公开")


def test_sort_by_date_newest_first(page, bench_site):
    results = search(page, bench_site, q="政务公开", sort="date")
    dates = [r["meta"]["发布日期"] for r in results]
    assert len(dates) == 10 and dates == sorted(dates, reverse=True)
    page.get_by_role("button", name="显示更多结果").click()
    page.wait_for_function("() => document.querySelectorAll('#search-results > li').length > 10")
    more = [r["meta"]["发布日期"] for r in shown(page)]
    assert more == sorted(more, reverse=True)
    assert page.evaluate("document.activeElement.closest('li') === document.querySelectorAll('#search-results > li')[10]")


def test_url_state_round_trips_through_reload_and_back(page, sample_site):
    page.goto(sample_site + "search/")
    page.get_by_label("关键词").fill("政务公开")
    page.get_by_label("关键词").press("Enter")
    wait_for_results(page)
    assert "q=%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80" in page.url

    total = int(re.search(r"(\d+) 件", page.locator("#search-status").inner_text())[1])
    page.get_by_text("筛选条件", exact=True).click()
    page.get_by_label("发布机构").select_option("兰山区方城镇")
    page.wait_for_url("**agency=*")
    wait_for_results(page)
    narrowed = [index_no(r) for r in shown(page)]
    assert 0 < int(re.search(r"(\d+) 件", page.locator("#search-status").inner_text())[1]) < total
    assert all(r["meta"]["发布机构"] == "兰山区方城镇" for r in shown(page))

    page.reload()
    wait_for_results(page)
    assert [index_no(r) for r in shown(page)] == narrowed
    assert page.get_by_label("发布机构").input_value() == "兰山区方城镇"
    assert page.get_by_label("关键词").input_value() == "政务公开"

    # A submitted query is a step back undoes; the filter refined the step it was made in.
    page.get_by_label("关键词").fill("考核办法")
    page.get_by_label("关键词").press("Enter")
    page.wait_for_url("**q=%E8%80%83*")
    wait_for_results(page)
    page.go_back()
    page.wait_for_function("() => new URLSearchParams(location.search).get('q') === '政务公开'")
    wait_for_results(page)
    assert [index_no(r) for r in shown(page)] == narrowed
    assert page.get_by_label("发布机构").input_value() == "兰山区方城镇"
    page.go_back()
    page.wait_for_function("() => !location.search")
    assert page.get_by_label("关键词").input_value() == ""
    assert page.get_by_label("发布机构").input_value() == ""
    assert shown(page) == []


def test_filters_are_closed_until_the_address_holds_one(page, sample_site):
    panel = page.locator("details.filters-panel")
    search(page, sample_site, q="政务公开")
    assert not panel.evaluate("d => d.open") and page.locator("#search-active").is_hidden()
    assert not page.get_by_label("发布机构").is_visible()
    # What is in force shows above the results, and the filters are open where they were set.
    search(page, sample_site, q="政务公开", agency="兰山区方城镇", sort="date")
    assert panel.evaluate("d => d.open")
    assert page.locator("#search-active-text").inner_text() == "已筛选：发布机构 兰山区方城镇；排序 按发布日期（新的在前）"
    # 只看现行有效 shows itself, beside the box.
    search(page, sample_site, q="政务公开", validity="有效")
    assert page.get_by_label("只看现行有效").is_checked()
    assert not panel.evaluate("d => d.open") and page.locator("#search-active").is_hidden()


def test_the_search_page_has_one_box_and_one_button(page, sample_site):
    """The header leaves out its own box here (partials/header.html, own_search)."""
    search(page, sample_site, q="政务公开")
    assert page.get_by_role("searchbox").count() == 1
    assert page.get_by_role("button", name="搜索", exact=True).count() == 1


# Each search says 正在搜索… once: the searches that ran since the observer was set.
COUNT_SEARCHES = """() => { window.searches = 0; new MutationObserver(records => records.forEach(r =>
    r.addedNodes.forEach(n => { if (n.textContent === '正在搜索…') window.searches++; })))
    .observe(document.getElementById('search-status'), {childList: true}); }"""


def test_arrow_keys_through_a_filter_search_once_and_add_no_back_step(page, sample_site):
    search(page, sample_site, q="公开")
    before = page.evaluate("history.length")
    page.evaluate(COUNT_SEARCHES)
    page.get_by_text("筛选条件", exact=True).click()
    agency = page.get_by_label("发布机构")
    agency.focus()
    for _ in range(3):
        agency.press("ArrowDown")
    chosen = agency.input_value()
    assert chosen == agency.locator("option").nth(3).get_attribute("value")
    page.wait_for_function("(v) => new URLSearchParams(location.search).get('agency') === v", arg=chosen)
    wait_for_results(page)
    page.wait_for_timeout(500)  # longer than search.js waits for the next key
    assert page.evaluate("window.searches") == 1
    assert page.evaluate("history.length") == before
    assert all(r["meta"]["发布机构"] == chosen for r in shown(page))


def test_a_filter_value_the_form_does_not_offer_is_left_out(page, sample_site):
    everything = [index_no(r) for r in search(page, sample_site, every=True, q="政务公开")]
    results = search(page, sample_site, every=True, q="政务公开", agency="不存在的机构")
    # Form, address and results agree: no agency.
    assert [index_no(r) for r in results] == everything
    assert page.get_by_label("发布机构").input_value() == ""
    assert "agency" not in page.url and "q=" in page.url
    assert page.locator("#search-status").inner_text() == \
        f"找到与“政务公开”相关的文件 {len(everything)} 件。地址中的筛选条件发布机构“不存在的机构”在本页没有可选项，已忽略。"
    assert page.locator("#search-active").is_hidden()


def test_only_documents_in_force_in_one_click(page, sample_site, sample_documents):
    everything = [index_no(r) for r in search(page, sample_site, every=True, q="政务公开")]
    in_force = [n for n in everything if sample_documents[n].validity == "有效"]
    assert 0 < len(in_force) < len(everything)
    before = page.evaluate("history.length")
    page.get_by_label("只看现行有效").check()
    page.wait_for_url("**validity=*")
    wait_for_results(page)
    assert [index_no(r) for r in show_all(page)] == in_force
    assert page.evaluate("history.length") == before
    assert page.evaluate("new URLSearchParams(location.search).get('validity')") == "有效"
    assert page.locator("#f-validity").input_value() == "有效"  # one state: the 有效性 filter
    page.reload()
    wait_for_results(page)
    assert page.get_by_label("只看现行有效").is_checked()
    page.get_by_label("只看现行有效").uncheck()
    page.wait_for_function("() => !location.search.includes('validity')")
    wait_for_results(page)
    assert [index_no(r) for r in show_all(page)] == everything


def test_documents_no_longer_in_force_say_so_and_rank_after_equals_in_force(page, sample_site, sample_documents):
    results = search(page, sample_site, every=True, q="政务公开")
    found = [index_no(r) for r in results]
    for r in results:
        validity = sample_documents[index_no(r)].validity
        assert r["badges"] == ([] if validity == "有效" else ["已修订" if validity == "已修订" else "已" + validity])
    repealed = found.index("lanshanqufczzf/2018-0000212")
    assert results[repealed]["badges"] == ["已废止"]
    assert results[repealed]["title"] == "方城镇政务公开工作考核办法（试行）"  # the word is beside the title, not in it
    # For 政务公开 the two 考核办法 score the same (the same weights of its three bigrams), as do
    # four other documents: those in force come first, the repealed one after them (it was second).
    assert found.index("lanshanqufczzf/2021-0000566") < repealed
    assert found[:repealed] == [n for n in found[:repealed + 1] if sample_documents[n].validity == "有效"]
    # In the 繁體 mirror, in its words.
    search(page, sample_site, path="zh-hant/search/", q="政務公開")
    item = page.locator("#search-results > li").filter(has_text="lanshanqufczzf/2018-0000212")
    assert item.locator("h3 .badge").inner_text() == "已廢止"


def test_header_box_on_every_page_submits_to_search(page, sample_site):
    page.goto(sample_site + "doc/lanshanqufczzf/2021-0000679/")
    box = page.get_by_role("search", name="全站搜索").get_by_role("searchbox")
    box.fill("财政预决算")
    box.press("Enter")
    wait_for_results(page)
    assert page.url.startswith(sample_site + "search/?q=")
    assert page.get_by_label("关键词").input_value() == "财政预决算"
    assert index_no(shown(page)[0]) == "xxsbgs/2022-0000021"


def test_keyboard_only(page, sample_site):
    page.goto(sample_site + "search/")
    page.keyboard.press("Tab")  # skip link
    focused = []
    for _ in range(30):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))
        if focused[-1] == "search-q":
            break
    assert focused[-1] == "search-q"
    page.keyboard.type("考核办法")
    page.keyboard.press("Enter")
    wait_for_results(page)
    first = shown(page)[0]["title"]
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('#search-results')"):
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/doc/**")
    assert page.get_by_role("heading", level=1).inner_text() == first


def test_results_are_announced_politely(page, sample_site):
    search(page, sample_site, q="考核办法")
    status = page.locator("#search-status")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    assert status.inner_text().startswith("找到与“考核办法”相关的文件")


def test_without_javascript_the_page_says_so_and_offers_browsing(browser, sample_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(sample_site + "search/?q=政务公开")
    notice = page.locator(".notice")
    assert "搜索功能需要浏览器启用 JavaScript" in notice.inner_text()
    notice.get_by_role("link", name="法定主动公开内容").click()
    assert page.get_by_role("heading", level=1).inner_text() == "法定主动公开内容"
    context.close()


def test_canaries_are_never_found(browser, tmp_path_factory):
    from test_gate import ON_REQUEST, WITHHELD, canary_site
    site = canary_site(tmp_path_factory.mktemp("canary") / "site")
    site.build()
    with serve(site.output) as address:
        page = browser.new_page()
        page.goto(address + "search/")
        for canary in list(WITHHELD.values()) + list(ON_REQUEST.values()) + ["内部会议纪要"]:
            # Pagefind may return loose matches for the canary's parts; none may hold it.
            for record in indexed(page, canary):
                assert canary not in record["content"] and record["title"] != "内部会议纪要"
            assert all(r["title"] in ("公开的文件", "依申请公开的明细表", "解读", "旧文件", "依申请公开的年报")
                       for r in search(page, address, q=canary))
        assert [r["title"] for r in search(page, address, q="PUBLIC-BODY-OK")][0] == "公开的文件"
        # The on-request entry is found by its catalogue metadata, not by its body.
        assert [r["title"] for r in search(page, address, q="依申请公开的明细表")] == ["依申请公开的明细表"]
        page.close()


def indexed(page, q: str) -> list[dict]:
    """Every record Pagefind returns for q (on the page's site), with its full indexed text."""
    return page.evaluate("""async (q) => {
        const list = document.getElementById('search-results');
        const pf = await import(new URL(list.dataset.bundle, location.href).href);
        for (const shard of list.dataset.shards.split(' ').filter(Boolean)) {
            await pf.mergeIndex(new URL(shard, location.href).href);
        }
        const found = await pf.search(q);
        return Promise.all(found.results.map(async r => {
            const d = await r.data(); return {title: d.meta.title, content: d.content}; }));
    }""", q)


def test_search_page_has_no_axe_violations(page, sample_site):
    search(page, sample_site, q="政务公开", agency="兰山区方城镇", sort="date")
    assert len(shown(page)) > 0
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values:
            ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}});
        return r.violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' '))}));
    }""")
    assert result == [], json.dumps(result, ensure_ascii=False)


@pytest.fixture(scope="module")
def regrouped(tmp_path_factory, bench_corpus):
    """The same columns with the index cut the other way: the sample in shards of three
    documents, the bench corpus in one index. Yields their addresses by site name."""
    root = tmp_path_factory.mktemp("regrouped")
    sample = root / "sample.yml"
    sample.write_text((ROOT / "config.yml").read_text(encoding="utf-8") + "\nsearch_shard_size: 3\n", encoding="utf-8")
    one = bench_corpus / "one-index.yml"
    one.write_text((bench_corpus / "config.yml").read_text(encoding="utf-8") + "\nsearch_shard_size: 100000\n",
                   encoding="utf-8")
    built = [build(sample, ROOT / "content", root / "sample"), build(one, bench_corpus / "content", root / "bench")]
    assert built[0].index.shards > 1 and built[1].index.shards == 1
    base = urlsplit(built[0].base_url).path
    with serve(root / "sample", base=base) as sample_address, serve(root / "bench") as bench_address:
        yield {"sample": sample_address, "bench": bench_address}


@pytest.mark.parametrize("case", QUERIES, ids=[f"{c['site']}:{c['q']}" for c in QUERIES])
def test_query_set_cut_the_other_way(request, page, regrouped, case):
    """The same results, in the same order, with the index cut differently: the sample in seven
    shards, the bench corpus in one index (test_query_set has the sample in one, the corpus
    in several). postings/ decides what is found over the whole site; Pagefind's shards only
    hold the pages' text."""
    usual = search(page, request.getfixturevalue(case["site"] + "_site"), q=case["q"])
    usual_status = page.locator("#search-status").inner_text()
    other = search(page, regrouped[case["site"]], q=case["q"])
    assert page.locator("#search-status").inner_text() == usual_status
    assert [(index_no(r), r["excerpt_html"]) for r in other] == [(index_no(r), r["excerpt_html"]) for r in usual]
    found = [index_no(r) for r in other]
    for want in case.get("expect", []):
        assert want in found[:5], f"{want} not in the first five: {found[:5]}"
