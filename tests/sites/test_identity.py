"""The site's identity in every footer (国办发〔2017〕47号: 主办、承办单位, 网站标识码, ICP and 公安
record numbers with their links, 党政机关网站标识, the parent portal) and the 网站地图 page."""
from __future__ import annotations

import re
from pathlib import Path

from gongkai.config import load_config
from gongkai.errors import Report
from helpers import CONFIG, doc, make_site

IDENTITY = """\
identity:
  sponsor: 测试县人民政府
  organiser: 测试县人民政府办公室
  icp: 测ICP备12345678号-1
  police: 测公网安备 12345678901234号
  conac: https://bszs.conac.cn/sitename?method=show&id=ABC
  portal_name: 测试市人民政府
  portal_url: https://www.example.gov.cn/
"""


def problems(root: Path, text: str) -> list[str]:
    root.mkdir(parents=True, exist_ok=True)
    (root / "config.yml").write_text(text, encoding="utf-8")
    report = Report()
    load_config(root / "config.yml", report)
    return [p.format() for p in report.sorted()]


def footer(html: str) -> str:
    return html[html.index('<footer class="site-footer">'):html.index("</footer>")]


def records(html: str) -> str:
    """The footer's list of record links (ICP, 公安, 党政机关网站标识, 上级门户)."""
    return html.split('<ul class="footer-links footer-records">', 1)[1].split("</ul>", 1)[0]


def test_identity_is_read(site_root):
    site_root.mkdir(parents=True)
    (site_root / "config.yml").write_text(CONFIG + IDENTITY + "  phone: 0000-1234567\n", encoding="utf-8")
    config = load_config(site_root / "config.yml", Report())
    assert (config.identity.sponsor, config.identity.phone, config.identity.address) == (
        "测试县人民政府", "0000-1234567", None)
    assert config.identity.icp_url == "https://beian.miit.gov.cn/"
    assert config.identity.police_url == "https://beian.mps.gov.cn/#/query/webSearch?code=12345678901234"
    assert config.hide_empty_columns is False


def test_identity_problems_word_for_word(site_root):
    text = CONFIG + ("identity:\n  sponsor: 测试县人民政府\n  organiser: 办公室\n  icp: 12345678\n"
                     "  police: 公安备案 1234\n  conac: bszs.conac.cn/x\n  portal_name: 市政府\n"
                     "  portal_url: javascript:alert(1)\n  logo: a.png\n")
    assert problems(site_root, text) == [
        "site/config.yml:17:8: 错误[E005]: 网站标识（identity）的ICP备案号「12345678」格式不对\n"
        "  提示：写成「鲁ICP备00000000号」这样的形式，照抄工业和信息化部备案系统中的号码。",
        "site/config.yml:18:11: 错误[E005]: 网站标识（identity）的公安机关备案号「公安备案 1234」格式不对\n"
        "  提示：写成「鲁公网安备 00000000000000号」这样的形式，照抄全国互联网安全管理服务平台中的号码。",
        "site/config.yml:19:10: 错误[E005]: 网站标识（identity）的党政机关网站标识的网址「bszs.conac.cn/x」格式不对\n"
        "  提示：写标识证书页面的完整网址，以 https:// 开头。",
        "site/config.yml:21:15: 错误[E005]: 网站标识（identity）的上级门户网站的网址「javascript:alert(1)」格式不对\n"
        "  提示：写完整的网址，例如 https://www.example.gov.cn/。",
        "site/config.yml:22:3: 错误[E003]: 网站标识（identity）中有未知的键「logo」\n"
        "  提示：可用的键：sponsor、organiser、icp、police、conac、portal_name、portal_url、address、phone。",
    ]
    assert problems(site_root, CONFIG + "identity:\n  sponsor: 测试县人民政府\n") == sorted(
        f"site/config.yml:15:3: 错误[E004]: 网站标识（identity）缺少必填的键「{key}」\n  提示：{key}：{doc}。"
        for key, doc in [  # sorted as the report sorts them: by message
            ("organiser", "承办单位"),
            ("icp", "ICP备案号，例如 鲁ICP备00000000号，链接到工业和信息化部备案系统"),
            ("police", "公安机关备案号，例如 鲁公网安备 00000000000000号，链接到全国互联网安全管理服务平台中这个号码的备案信息"),
            ("conac", "党政机关网站标识的证书页面网址，页脚显示为文字链接「党政机关网站标识」"),
            ("portal_name", "上级门户网站的名称，页脚显示为链接「上级门户：名称」"),
            ("portal_url", "上级门户网站的网址，以 https:// 或 http:// 开头")])
    assert problems(site_root, CONFIG + "identity: 测试县人民政府\n") == [
        "site/config.yml:14:11: 错误[E005]: 网站标识（identity）应当是「键: 值」的形式\n"
        "  提示：参照 README 中 config.yml 的示例。"]


def test_sitemap_is_a_reserved_folder_and_the_flag_is_checked(site_root):
    text = CONFIG.replace("slug: zn", "slug: sitemap") + "hide_empty_columns: 隐藏\n"
    assert problems(site_root, text) == [
        "site/config.yml:12:11: 错误[E007]: 第一级目录「政府信息公开指南」的网址目录名「sitemap」被系统占用\n"
        "  提示：换一个 slug；系统占用：404.html、accessibility、agency、catalogue.csv、catalogue.json、data、doc、elder、"
        "feed.xml、files、guide、index.html、page、pagefind、postings、robots.txt、rules、search、sitemap、sitemap.xml、"
        "static、year、zh-hant。",
        "site/config.yml:14:21: 错误[E005]: hide_empty_columns 的值「隐藏」无法识别\n  提示：写 true 或 false。",
    ]


def test_every_page_shows_the_identity_in_its_footer(site_root):
    config = CONFIG + 'site_id: "1234567890"\ntraditional: true\n' + IDENTITY + "  address: 测试路 1 号\n  phone: 0000-1234567\n"
    site = make_site(site_root, {"a.md": doc()}, config=config)
    site.build()
    home = footer(site.page("index.html"))
    assert re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", home) == [
        ("主办单位", "测试县人民政府"), ("承办单位", "测试县人民政府办公室"), ("网站标识码", "1234567890"),
        ("地址", "测试路 1 号"), ("联系电话", "0000-1234567")]
    assert re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', home) == [
        ("sitemap/", "网站地图"), ("data/", "开放数据"), ("accessibility/", "无障碍声明"), ("elder/", "长者模式"),
        ("https://beian.miit.gov.cn/", "测ICP备12345678号-1"),
        ("https://beian.mps.gov.cn/#/query/webSearch?code=12345678901234", "测公网安备 12345678901234号"),
        ("https://bszs.conac.cn/sitename?method=show&amp;id=ABC", "党政机关网站标识"),
        ("https://www.example.gov.cn/", "上级门户：测试市人民政府")]
    # Every page and copy; the 繁體 mirror converts the names but quotes the record numbers as registered.
    for page in ("doc/csj/2024-0000001/index.html", "elder/sitemap/index.html", "404.html"):
        assert records(footer(site.page(page))) == records(home) and "<dt>主办单位</dt>" in site.page(page)
    mirror = footer(site.page("zh-hant/elder/index.html"))
    assert "<dt>主辦單位</dt><dd>測試縣人民政府</dd>" in mirror
    assert ">测ICP备12345678号-1</a>" in mirror and ">测公网安备 12345678901234号</a>" in mirror
    assert 'href="sitemap/">網站地圖</a>' in mirror


def test_without_identity_the_footer_shows_what_there_is(site_root):
    site = make_site(site_root, {"a.md": doc()}, config=CONFIG + 'site_id: "1234567890"\n')
    site.build()
    home = footer(site.page("index.html"))
    assert re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", home) == [("网站标识码", "1234567890")]
    assert "备案" not in home and "上级门户" not in home
    bare = make_site(site_root.parent / "bare", {"a.md": doc()})
    bare.build()
    assert "<dl" not in footer(bare.page("index.html"))


def test_the_sitemap_page_links_every_page_type(site_root):
    config = CONFIG + "guide: {office: 甲, address: 乙, hours: 丙, phone: 丁, fax: 戊, online: 己}\n"
    site = make_site(site_root, {"a.md": doc(), "b.md": doc(index_no="csj/2024-0000002", date="2023-05-01",
                                                           category="法定主动公开内容/法规文件/行政规范性文件")},
                     config=config)
    site.build()
    page = site.page("sitemap/index.html")
    assert "<title>网站地图 - 测试专栏</title>" in page
    main = page[page.index("<main"):page.index("</main>")]
    assert re.findall(r'<a (?:class="column-link" )?href="([^"]+)">([^<]+)</a>(?:\s*<span class="count">(\d+) 件)?', main) == [
        ("../fd/", "法定主动公开内容", "2"), ("../fd/fg/", "法规文件", "1"), ("../fd/fg/gf/", "行政规范性文件", "1"),
        ("../fd/gh/", "规划计划", "1"), ("../zn/", "政府信息公开指南", "0"),
        ("../agency/", "全部发布机构", ""), ("../agency/csj/", "测试局", "2"), ("../agency/dej/", "第二局", "0"),
        ("../year/", "全部年份", ""), ("../year/2024/", "2024年", "1"), ("../year/2023/", "2023年", "1"),
        ("../rules/current/", "现行有效规范性文件目录", "1"), ("../rules/ended/", "废止和失效文件", "0"),
        ("../guide/", "政府信息公开指南", ""), ("../search/", "搜索", ""), ("../data/", "开放数据", ""),
        ("../accessibility/", "无障碍声明", "")]
    # Nested as config.yml nests the columns.
    assert re.search(r'href="../fd/fg/">法规文件</a> <span class="count">1 件</span>\s*<ul>\s*<li><a href="../fd/fg/gf/">', main)
    assert 'href="./" aria-current="page">网站地图</a>' in footer(page)
    assert "elder/sitemap/index.html" in site.files()
    assert "<loc>https://example.gov.cn/sitemap/</loc>" in site.page("sitemap.xml")
