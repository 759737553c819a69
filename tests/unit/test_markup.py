from generator.markup import to_html


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
