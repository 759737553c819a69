"""config.yml: every problem located and explained, all at once."""
from pathlib import Path

from gongkai.config import load_config
from gongkai.errors import Report
from helpers import CONFIG, make_site


def problems(root: Path, text: str) -> list[str]:
    root.mkdir(parents=True, exist_ok=True)
    (root / "config.yml").write_text(text, encoding="utf-8")
    report = Report()
    load_config(root / "config.yml", report)
    return [p.format() for p in report.sorted()]


def test_the_helper_config_is_valid(site_root):
    assert problems(site_root, CONFIG) == []


def test_missing_file(site_root):
    report = Report()
    assert load_config(site_root / "nope.yml", report) is None
    assert [p.format() for p in report.sorted()] == [
        "site/nope.yml:1:1: 错误[E001]: 找不到站点配置文件\n  提示：在站点目录中创建 config.yml，或用 --config 指定配置文件。"]


def test_every_problem_is_reported(site_root):
    text = ("name: 测试\nbase_url: example.gov.cn\npage_size: 二十\ncolour: red\n"
            "agencies:\n  - {name: 甲局, slug: a}\n  - {name: 甲局, slug: b}\n  - {nam: 乙局}\n"
            "categories:\n  - {name: 附件, slug: files}\n  - {name: 甲/乙}\n")
    assert problems(site_root, text) == [
        "site/config.yml:2:11: 错误[E005]: 站点网址「example.gov.cn」不是完整的网址\n"
        "  提示：写成 https://www.example.gov.cn/ 这样的形式。",
        "site/config.yml:3:12: 错误[E005]: 站点配置的「page_size」应当是正整数，现在是「二十」\n  提示：例如：20。",
        "site/config.yml:4:1: 错误[E003]: 站点配置中有未知的键「colour」\n"
        "  提示：可用的键：name、base_url、theme、page_size、latest_count、search_shard_size、apply_url、site_id、contact、index_scheme、build_date、traditional、agencies、categories、guide、identity、hide_empty_columns、federation、search。",
        "site/config.yml:7:12: 错误[E006]: 发布机构「甲局」声明了两次\n  提示：删除重复的一项。",
        "site/config.yml:8:5: 错误[E004]: 发布机构缺少必填的键「name」\n  提示：name：机构全称，文档的「发布机构」写这个名称。",
        "site/config.yml:8:6: 错误[E003]: 发布机构中有未知的键「nam」\n  提示：可用的键：name、slug、code、doc_no_prefix、aliases。",
        "site/config.yml:10:12: 错误[E007]: 第一级目录「附件」的网址目录名「files」被系统占用\n"
        "  提示：换一个 slug；系统占用：404.html、accessibility、agency、catalogue.csv、catalogue.json、data、doc、elder、feed.xml、files、guide、"
            "index.html、page、pagefind、postings、robots.txt、rules、search、sitemap、sitemap.xml、static、year、zh-hant。",
        "site/config.yml:11:12: 错误[E005]: 目录名称「甲/乙」里不能有 /\n  提示：/ 用来分隔上下级目录，换一个名称。",
    ]


def test_yaml_syntax_error(site_root):
    assert problems(site_root, "name: 测试\n  base_url: x\n") == [
        "site/config.yml:2:11: 错误[E002]: 配置文件格式错误：冒号的位置不对\n"
        "  提示：每行写成「键: 值」，冒号后面加一个空格；值里本身有冒号时，给值加上英文双引号。"]


def test_build_stops_on_config_errors_before_reading_content(site_root):
    site = make_site(site_root, {"a.md": "not even front matter"}, config="name: 测试\n")
    codes = [line.split(": ")[1] for line in site.build_fails()]
    assert codes == ["错误[E004]", "错误[E004]", "错误[E004]"]


def test_guide_fields_are_required_once_a_guide_is_written(site_root):
    text = CONFIG + "guide:\n  office: 测试局办公室\n  address: 测试路1号\n  hours: 工作日\n  phone: 0000\n  online: a@b.cn\n"
    assert problems(site_root, text) == [
        "site/config.yml:15:3: 错误[E004]: 政府信息公开指南（guide）缺少必填的键「fax」\n  提示：fax：传真号码。"]


def test_guide_form_must_exist(site_root):
    site = make_site(site_root, config=CONFIG + "guide: {office: 甲, address: 乙, hours: 丙, phone: 丁, fax: 戊, online: 己, form: 表.rtf}\n")
    assert site.build_fails() == [
        "site/config.yml:14:77: 错误[E011]: 找不到政府信息公开申请表「表.rtf」\n"
        "  提示：guide 的 form 写申请表文件相对于 content/ 的路径，文件要放在 content/ 内。"]


def test_traditional_and_federation_problems_word_for_word(site_root):
    base = ("name: 测试\nbase_url: https://x.gov.cn/\nagencies:\n  - {name: 甲局, slug: a}\n"
            "categories:\n  - {name: 目录, slug: ml}\n")
    assert problems(site_root, base + "traditional: 繁体\n") == [
        "site/config.yml:7:14: 错误[E005]: traditional 的值「繁体」无法识别\n"
        "  提示：写 true（生成繁体版）或 false；也可以写转换方案：s2t、s2tw、s2twp、s2hk。"]
    assert problems(site_root, base + "federation: ../lanshan/\n") == [
        "site/config.yml:7:13: 错误[E005]: federation 应当是专栏列表\n"
        "  提示：每个专栏一行，例如「- {name: 兰山区, url: ../lanshan/}」。"]
    columns = ("federation:\n  - {name: 乙县, url: yixian.gov.cn}\n  - {name: 丁县}\n"
               "  - {name: 己县, url: ../jixian/}\n  - {name: 己县, url: ../j2/}\n  - {name: 测试, url: ../self/}\n")
    assert problems(site_root, base + columns) == [
        "site/config.yml:8:21: 错误[E005]: 专栏网址「yixian.gov.cn」不能用\n"
        "  提示：写专栏网站的根网址，以 / 结尾：https://www.example.gov.cn/lanshan/，或本站旁边的 ../lanshan/。",
        "site/config.yml:9:5: 错误[E004]: 联合搜索（federation）的专栏缺少必填的键「url」\n"
        "  提示：url：专栏网站的根网址，以 / 结尾：完整网址（https://…/，对方须允许跨域读取），或相对于本站根网址的路径（../lanshan/）。",
        "site/config.yml:11:12: 错误[E006]: 联合搜索的专栏「己县」写了两次\n  提示：每个专栏用不同的名称，也不要与本站同名。",
        "site/config.yml:12:12: 错误[E006]: 联合搜索的专栏「测试」与本站同名\n  提示：每个专栏用不同的名称，也不要与本站同名。",
    ]


def test_agency_aliases_word_for_word(site_root):
    base = "name: 测试\nbase_url: https://x.gov.cn/\ncategories:\n  - {name: 目录, slug: ml}\nagencies:\n"
    assert problems(site_root, base + "  - {name: 河北省科学技术厅, slug: a, aliases: [省科技厅, 科技厅]}\n") == []
    assert problems(site_root, base + "  - {name: 河北省科学技术厅, slug: a, aliases: 省科技厅}\n") == []
    assert problems(site_root, base + "  - {name: 河北省科学技术厅, slug: a, aliases: [省科技厅, {x: 1}]}\n") == [
        "site/config.yml:6:47: 错误[E005]: 发布机构「河北省科学技术厅」的「aliases」应当是一个或几个词\n"
        "  提示：aliases：读者搜索时用的简称，例如 [省科技厅]；省工信厅、省政府这样的常见简称会自动生成。"]


def test_search_options_are_checked(site_root):
    assert problems(site_root, CONFIG + "search:\n  pagefind: 也许\n  shards: 3\n") == [
        "site/config.yml:15:13: 错误[E005]: pagefind 的值「也许」无法识别\n  提示：写 true 或 false。",
        "site/config.yml:16:3: 错误[E003]: 搜索选项（search）中有未知的键「shards」\n  提示：可用的键：pagefind。"]
    assert problems(site_root, CONFIG + "search: false\n") == [
        "site/config.yml:14:9: 错误[E005]: 搜索选项（search）应当是「键: 值」的形式\n  提示：参照 README 中 config.yml 的示例。"]
