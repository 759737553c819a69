"""Every editor-facing message, word for word: the codes and texts are an interface."""
import pytest

from helpers import doc, make_site

HEAD = "---\n标题: 测试\n索引号: csj/2024-0000001\n公开目录: 法定主动公开内容/规划计划\n发布机构: 测试局\n发布日期: 2024-01-05\n"

CASES = {
    "E101": ("正文，没有元数据。\n",
             ["content/a.md:1:1: 错误[E101]: 文件开头没有元数据块\n"
              "  提示：文件第一行写 ---，接着写 标题、索引号 等字段，再用一行 --- 结束，然后是正文。"]),
    "E102": (HEAD + "公开方式: 主动公开\n\n正文\n",
             ["content/a.md:1:1: 错误[E102]: 元数据块没有结束\n"
              "  提示：在最后一个字段下面加一行 ---，把元数据和正文分开。"]),
    "E103-tab": (HEAD + "\t公开方式: 主动公开\n---\n",
                 ["content/a.md:7:1: 错误[E103]: 元数据格式错误：这一行用了 Tab 键缩进\n"
                  "  提示：YAML 只能用空格缩进：把行首的 Tab 换成两个空格。"]),
    "E103-colon": (HEAD + "公开方式 主动公开\n文号: 测〔2024〕1号\n---\n",
                   ["content/a.md:7:1: 错误[E103]: 元数据格式错误：这一行缺少冒号\n"
                    "  提示：每行写成「键: 值」，冒号用英文半角「:」，后面加一个空格。"]),
    "E103-escape": (HEAD.replace("标题: 测试", '标题: "\\ud800"') + "公开方式: 主动公开\n---\n",
                    ["content/a.md:2:5: 错误[E103]: 元数据格式错误：这一行有无效的字符\n"
                     "  提示：删除 \\u 开头的转义写法，直接写出要写的字。"]),
    "E104": ("---\n- 标题\n- 索引号\n---\n",
             ["content/a.md:2:1: 错误[E104]: 元数据应当是「字段: 值」的形式\n"
              "  提示：每行写一个字段，例如「标题: 方城镇2021年政务公开实施方案」。"]),
    "E105": (HEAD + "公开方式: 主动公开\n发布单位: 测试局\n---\n",
             ["content/a.md:8:1: 错误[E105]: 未知的字段「发布单位」\n  提示：是不是想写「发布机构」？"]),
    "E106": ("---\n标题: 测试\n公开目录: 法定主动公开内容/规划计划\n发布机构: 测试局\n发布日期: 2024-01-05\n公开方式: 主动公开\n---\n",
             ["content/a.md:1:1: 错误[E106]: 缺少必填字段「索引号」\n"
              "  提示：在元数据中加一行「索引号: …」（全站唯一的索引号，原样保留，文档网址由它生成）。"]),
    "E107": (HEAD + "公开方式: 主动公开\ntitle: 又一个标题\n---\n",
             ["content/a.md:8:1: 错误[E107]: 字段「标题」写了两次（第 2 行已经写过「标题」）\n"
              "  提示：删除其中一个。中文键和英文键是同一个字段，只写一个。"]),
    "E108": (HEAD.replace("2024-01-05", "2024-02-30") + "公开方式: 主动公开\n---\n",
             ["content/a.md:6:7: 错误[E108]: 「发布日期」的值「2024-02-30」不是有效的日期\n"
              "  提示：写成 2021-07-24、2021/7/24 或 2021年7月24日。"]),
    "E109": (HEAD.replace("法定主动公开内容/规划计划", "行政规范性文件") + "公开方式: 主动公开\n---\n",
             ["content/a.md:4:7: 错误[E109]: 公开目录「行政规范性文件」在 config.yml 中不存在\n"
              "  提示：是不是「法定主动公开内容/法规文件/行政规范性文件」？"]),
    "E110": (HEAD.replace("发布机构: 测试局", "发布机构: 测试局、测验局") + "公开方式: 主动公开\n---\n",
             ["content/a.md:5:7: 错误[E110]: 发布机构「测验局」没有在 config.yml 中声明\n  提示：是不是「测试局」？"]),
    "E111": (HEAD + "公开方式: 公开\n---\n",
             ["content/a.md:7:7: 错误[E111]: 公开方式「公开」不正确\n  提示：只能是：主动公开、依申请公开、不予公开。"]),
    "E112": (HEAD + "公开方式: 主动公开\n有效性: 作废\n---\n",
             ["content/a.md:8:6: 错误[E112]: 有效性「作废」不正确\n  提示：只能是：有效、失效、废止、已修订。"]),
    "E114": (HEAD + "公开方式: 主动公开\n附件: [表格.xlsx]\n---\n",
             ["content/a.md:8:6: 错误[E114]: 找不到附件「表格.xlsx」\n"
              "  提示：检查文件名和路径（相对于本文档所在目录），文件要放在 content/ 内。"]),
    "E115": (HEAD + "公开方式: 主动公开\n附件: ../../config.yml\n---\n",
             ["content/a.md:8:5: 错误[E115]: 附件「../../config.yml」不在 content/ 目录内\n"
              "  提示：把附件文件放进 content/，写相对于本文档的路径。"]),
    "E116": (HEAD + "公开方式: 主动公开\n解读对象: csj/2099-0000001\n---\n",
             ["content/a.md:8:1: 错误[E116]: 解读对象「csj/2099-0000001」不是本站任何文档的索引号\n"
              "  提示：填写被引用文档的索引号，和它的元数据中写的完全一致。"]),
    "E117": (HEAD + "公开方式: 主动公开\n替代文件: csj/2024-0000001\n---\n",
             ["content/a.md:8:1: 错误[E117]: 替代文件不能是本文档自己\n  提示：填写另一个文档的索引号。"]),
    "E118": (HEAD + "公开方式: 主动公开\n文号: [甲, 乙]\n---\n",
             ["content/a.md:8:5: 错误[E118]: 「文号」应当是一段文字\n  提示：写成「文号: 值」。"]),
    "E121": (HEAD.replace("标题: 测试", "标题:") + "公开方式: 主动公开\n---\n",
             ["content/a.md:2:1: 错误[E121]: 必填字段「标题」是空的\n  提示：在「标题:」后面填写文件标题。"]),
    "E123": (HEAD.replace("csj/2024-0000001", "csj/2024 0000001") + "公开方式: 主动公开\n---\n",
             ["content/a.md:3:6: 错误[E123]: 索引号「csj/2024 0000001」中间有空格\n  提示：删除索引号中的空格。"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_message(site_root, case):
    source, expected = CASES[case]
    site = make_site(site_root, {"a.md": source})
    assert site.build_fails() == [line.replace("content/", "site/content/", 1) for line in expected]


def test_duplicate_index_number_names_both_files(site_root):
    site = make_site(site_root, {"a.md": doc(), "sub/b.md": doc(title="另一个")})
    assert site.build_fails() == [
        "site/content/sub/b.md:3:6: 错误[E113]: 索引号「csj/2024-0000001」与 site/content/a.md:3 重复\n"
        "  提示：每个文档的索引号必须唯一：改用下一个未使用的序号。"]


def test_gbk_is_read_with_a_warning(site_root):
    site = make_site(site_root)
    (site.content / "gbk.md").write_bytes(doc(title="国标编码的文件").encode("gbk"))
    result = site.build()
    assert [p.format() for p in result.report.warnings if p.code == "W203"] == [
        "site/content/gbk.md:2:1: 警告[W203]: 文件是 GBK/GB18030 编码，已按 GB18030 读取\n"
        "  提示：用编辑器把文件另存为「UTF-8」编码，其他工具才能正确读取。"]
    assert "国标编码的文件" in site.page("doc/csj/2024-0000001/index.html")
    assert (site.content / "gbk.md").read_bytes() == doc(title="国标编码的文件").encode("gbk")  # left as it was


def test_not_utf8_nor_chinese(site_root):
    site = make_site(site_root)
    (site.content / "bad.md").write_bytes(b"---\n\xff\xfe\xfd\n---\n")
    assert site.build_fails() == [
        "site/content/bad.md:2:1: 错误[E120]: 文件不是 UTF-8 编码（第 2 行有无法识别的字符）\n"
        "  提示：用编辑器把文件另存为「UTF-8」编码后再构建。"]


def test_bom_and_crlf_are_fine(site_root):
    site = make_site(site_root)
    (site.content / "win.md").write_bytes(("\ufeff" + doc(title="视窗文件")).replace("\n", "\r\n").encode("utf-8"))
    site.build()
    assert "视窗文件" in site.page("doc/csj/2024-0000001/index.html")


def test_empty_file(site_root):
    site = make_site(site_root, {"empty.md": "\n  \n"})
    assert site.build_fails() == [
        "site/content/empty.md:1:1: 错误[E125]: 文件是空的\n  提示：删除这个文件，或者按 README 的示例写上元数据和正文。"]


def test_huge_file(site_root):
    site = make_site(site_root, {"big.md": doc(body="数据" * (6 * 1048576 // 3))})
    assert site.build_fails() == [
        "site/content/big.md:1:1: 错误[E126]: 文件太大（12.0 MB，上限 10 MB）\n"
        "  提示：正文里可能粘贴了图片或表格数据：把它们做成附件（附件: 文件名），正文只写文字。"]


def test_symlink_outside_content(site_root, tmp_path):
    site = make_site(site_root)
    outside = tmp_path / "secret.md"
    outside.write_text(doc(), encoding="utf-8")
    (site.content / "link.md").symlink_to(outside)
    assert site.build_fails() == [
        "site/content/link.md:1:1: 错误[E122]: 这个文件是指向 content/ 以外的链接\n"
        "  提示：把文件本身放进 content/，不要用链接。"]


def test_all_problems_of_all_files_are_collected_in_order(site_root):
    site = make_site(site_root, {
        "b.md": doc(mode="公开", date="昨天"),
        "a.md": doc(index_no="csj/2024-0000002", agency="无此局"),
    })
    codes = [line.split(": ", 2)[1] for line in site.build_fails()]
    assert codes == ["错误[E110]", "错误[E108]", "错误[E111]"]


def test_missing_content_folder(site_root):
    site = make_site(site_root)
    site.content.rmdir()
    assert site.build_fails() == [
        "site/content:1:1: 错误[E100]: 找不到内容目录\n  提示：创建 content/ 目录，或用 --content 指定内容目录。"]


def test_unknown_theme(site_root):
    from helpers import CONFIG
    site = make_site(site_root, config=CONFIG + "theme: fancy\n")
    assert site.build_fails() == [
        "site/config.yml:14:8: 错误[E008]: 找不到主题「fancy」\n  提示：theme 写 themes/ 下的主题目录名，例如 default。"]


def test_search_index_failure(site_root, monkeypatch):
    import pagefind_bin_extended
    from pathlib import Path
    monkeypatch.setattr(pagefind_bin_extended, "get_executable", lambda: Path("/bin/false"))
    site = make_site(site_root, {"a.md": doc()})
    assert site.build_fails() == [
        "site/config.yml:1:1: 错误[E010]: Pagefind 建立索引失败：Pagefind 程序没有运行起来，或者中途退出\n  提示：检查 Pagefind 是否已随 Gongkai 安装（pip install .）。"]
    assert not site.output.exists()
