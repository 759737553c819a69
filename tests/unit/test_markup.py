from gongkai.markup import to_html


def test_tables_and_headings_below_the_page_title():
    html = to_html("# 一、总体要求\n\n| 序号 | 任务 |\n|---|---|\n| 1 | 公开 |\n")
    assert "<h2>一、总体要求</h2>" in html and "<h1" not in html
    assert "<th>序号</th>" in html and "<td>公开</td>" in html


def test_scripts_handlers_and_javascript_urls_are_removed():
    html = to_html('<script>alert(1)</script><img src="x.png" alt="图" onerror="alert(2)">'
                   '[点我](javascript:alert(3)) <a href="JaVaScRiPt:alert(4)">b</a>'
                   '<iframe src="https://evil.example/"></iframe><p style="color:red" onclick="x()">段</p>')
    lowered = html.lower()
    for bad in ("<script", "onerror", "onclick", "javascript:", "<iframe", "style="):
        assert bad not in lowered
    assert '<img src="x.png" alt="图">' in html and "<p>段</p>" in html


def test_cms_html_fragments_survive_as_plain_structure():
    html = to_html('<table><tbody><tr><td><span style="font-family:楷体">（此件公开发布）</span></td></tr></tbody></table>')
    assert "（此件公开发布）" in html and "<td>" in html and "楷体" not in html


# The 落款: the agency and the date at the end of a 公文, right-aligned by class="signature".
SIGNATURE = '<p class="signature">'


def test_the_agency_and_date_at_the_end_are_the_signature():
    html = to_html("正文第一段。\n\n方城镇人民政府\n\n2021年7月23日\n")
    assert html.count(SIGNATURE) == 2
    assert "<p>正文第一段。</p>" in html
    assert html.endswith(f"{SIGNATURE}方城镇人民政府</p>\n{SIGNATURE}2021年7月23日</p>")


def test_a_date_in_chinese_numerals_or_alone_is_a_signature():
    assert to_html("正文。\n\n二〇二一年七月二十三日\n").count(SIGNATURE) == 1
    assert to_html("正文。\n\n兰山区方城镇人民政府\n\n二〇二一年七月二十三日\n").count(SIGNATURE) == 2


def test_text_before_the_date_stays_text():
    # A sentence before the date is not an agency's name; a date inside a sentence is no 落款.
    html = to_html("我们在2021年7月23日开会，决定如下：\n\n2021年7月23日\n")
    assert html.count(SIGNATURE) == 1 and "<p>我们在" in html
    assert SIGNATURE not in to_html("会议于2021年7月23日召开。\n")
    assert SIGNATURE not in to_html("方城镇人民政府\n\n2021年7月23日\n\n附：名单\n")


def test_the_signature_class_comes_from_us_not_from_the_editor():
    # An editor's own class attribute is removed by the sanitiser; only the 落款 rule adds one.
    html = to_html('<p class="signature">伪造的落款</p>\n\n正文。\n')
    assert SIGNATURE not in html and "伪造的落款" in html
