"""The sample site's page types and its four copies, as data shared by the browser tests and
`make screenshots`: one representative page of each type, and where each copy lives."""
from __future__ import annotations

from gongkai import traditional

HANT = traditional.Converter(traditional.DEFAULT)

# One page of each type in the sample (content/ + config.yml). No list is paged: the sample has 14
# documents and page_size is 20, so no list has a page 2 (add one here if the sample grows).
PAGES = {
    "home": "",
    "category": "fdzdgknr/",
    "agency": "agency/fczzf/",
    "agencies": "agency/",
    "year": "year/2021/",
    "years": "year/",
    "policy interpretations": "fdzdgknr/fgwj/zcjd/",  # the 政策解读 column
    "document": "doc/lanshanqufczzf/2021-0000679/",
    "interpretation": "doc/lanshanqufczzf/2021-0000567/",  # a 解读 (its front matter has 解读对象)
    "on-request entry": "doc/lanshanqufczzf/2022-0000015/",
    "search with results": "search/?q=政务公开&agency=兰山区方城镇",
    "guide": "doc/lanshanqufczzf/2021-0000120/",
    "accessibility statement": "accessibility/",
    "current rules": "rules/current/",
    "guide from config": "guide/",
    "annual report": "doc/lanshanqufczzf/2022-0000008/",
    "ended documents": "rules/ended/",
    "repealed document": "doc/lanshanqufczzf/2018-0000212/",
    "404": "404.html",
    "open data": "data/",
    "site map": "sitemap/",  # 网站地图
}
# Pages the build may not write yet: a test or screenshot that gets a 404 for one skips it (none now).
OPTIONAL: frozenset = frozenset()

# Labels for people (the screenshot contact sheet).
LABELS = {
    "home": "首页", "category": "栏目（法定主动公开内容）", "agency": "发布机构（兰山区方城镇）",
    "agencies": "发布机构索引", "year": "年份（2021）", "years": "年份索引", "policy interpretations": "政策解读栏目",
    "document": "文件", "interpretation": "政策解读文件", "on-request entry": "依申请公开",
    "search with results": "搜索结果", "guide": "公开指南（文件）", "accessibility statement": "无障碍声明",
    "current rules": "现行有效规范性文件", "guide from config": "公开指南", "annual report": "年度报告",
    "ended documents": "已失效、废止文件", "repealed document": "已废止文件", "404": "404 页面",
    "open data": "开放数据", "site map": "网站地图",
}

COPIES = {"standard": "", "elder": "elder/", "hant": "zh-hant/", "hant-elder": "zh-hant/elder/"}
COPY_LABELS = {"standard": "标准版", "elder": "长者模式", "hant": "繁體", "hant-elder": "繁體长者模式"}


def is_elder(copy: str) -> bool:
    return COPIES[copy].endswith("elder/")


def is_hant(copy: str) -> bool:
    return COPIES[copy].startswith(traditional.PREFIX)


def address(site: str, copy: str, path: str) -> str:
    """The page at `path` in one copy; on the 繁體 copies a Chinese query is typed in 繁體, as a reader
    of the mirror would (and as its own search index expects)."""
    if is_hant(copy):
        path = HANT.text(path)
    return site + COPIES[copy] + path


def in_copy(copy: str, text: str) -> str:
    """A word as the copy shows it (已废止 → 已廢止 on the 繁體 copies)."""
    return HANT.text(text) if is_hant(copy) else text


def is_search(path: str) -> bool:
    return path.startswith("search/")
