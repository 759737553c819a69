"""config.yml → a frozen Config. One schema, a description per key; unknown keys are errors."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import schema, traditional
from .errors import Report
from .yamltree import Map, Scalar, Seq, YamlSyntaxError, load, scalars

# key: (required, default, description). The descriptions are what README's table shows.
SITE_KEYS = {
    "name": (True, None, "站点名称，显示在每页页头和标题中"),
    "base_url": (True, None, "站点正式网址，以 / 结尾，例如 https://www.example.gov.cn/xxgk/"),
    "theme": (False, "default", "主题名称，对应 themes/ 下的目录"),
    "page_size": (False, "20", "列表页每页显示的文档数"),
    "latest_count": (False, "10", "首页「最新文件」显示的文档数"),
    "search_shard_size": (False, "200", "Pagefind 索引每个分片最多收录的文档数，默认 200（越小，构建时内存越少、改一篇后重建越快；只在退回 Pagefind 分词检索时多几个请求）"),
    "apply_url": (False, None, "依申请公开条目中「如何申请」链接的地址（通常是政府信息公开指南）"),
    "site_id": (False, None, "网站标识码（政府网站发展指引要求的 SiteIDCode），写在每页的 meta 标签中"),
    "contact": (False, None, "无障碍声明中的联系方式（电话或电子邮箱），读者可以反馈访问中遇到的障碍"),
    "index_scheme": (False, "{code}/{year}-{seq:07d}", "gongkai new 生成索引号的格式：{code} 机构代码，{year} 年份，{seq:07d} 七位序号"),
    "build_date": (False, None, "构建日期（YYYY-MM-DD）；环境变量 SOURCE_DATE_EPOCH 优先于它，两者都没有时取当天（北京时间）"),
    "traditional": (False, "false", "true 时另外生成繁体中文版（网址前加 zh-hant/，有自己的搜索索引）；也可以写 OpenCC 的转换方案 s2t（默认）、s2tw、s2twp 或 s2hk"),
    "agencies": (True, None, "发布机构列表：name 名称，slug 网址目录名，code 索引号前缀，aliases 读者搜索时用的简称"),
    "categories": (True, None, "公开目录分类树：name 名称，slug 网址目录名，children 下级目录"),
    "guide": (False, None, "政府信息公开指南中的工作机构和获取方式（条例第十二条），见下表"),
    "identity": (False, None, "网站标识信息（国办发〔2017〕47号）：主办单位、承办单位、备案号等，显示在每页页脚，见下表"),
    "hide_empty_columns": (False, "false", "true 时没有文件的栏目不生成页面和订阅，网站地图和所有导航中也没有它（检查时空白栏目算作不合格）；默认 false：显示「暂无文件」，构建给出 W216 警告"),
    "federation": (False, None, "联合搜索：一并搜索的其他专栏（各自用 Gongkai 生成），每项 name 名称、url 网址；生成 search/all/ 页面"),
    "search": (False, None, "搜索的选项，见下表"),
}
SEARCH_KEYS = {
    "pagefind": (False, "true", "另外生成标准的 Pagefind 索引（pagefind/）：单个汉字的查询由它回答，用 Pagefind 建站的门户也能用 mergeIndex 合并本专栏；false 时不生成，构建更快，单字查询请读者多输入一个字"),
}
# 联合搜索: the other columns a portal's search/all/ page searches along with this one.
FEDERATION_KEYS = {
    "name": (True, None, "专栏名称，显示在搜索结果中"),
    "url": (True, None, "专栏网站的根网址，以 / 结尾：完整网址（https://…/，对方须允许跨域读取），或相对于本站根网址的路径（../lanshan/）"),
}
# 政府信息公开指南 (条例第十二条): every key but form is required once `guide` is written.
GUIDE_KEYS = {
    "office": (True, None, "政府信息公开工作机构名称"),
    "address": (True, None, "办公地址"),
    "hours": (True, None, "办公时间"),
    "phone": (True, None, "联系电话"),
    "fax": (True, None, "传真号码"),
    "online": (True, None, "互联网联系方式（电子邮箱或在线申请网址）"),
    "postcode": (False, None, "邮政编码"),
    "form": (False, None, "政府信息公开申请表文件，相对于 content/ 的路径，可供下载"),
}
# 网站标识 (政府网站发展指引，国办发〔2017〕47号): every key but address and phone is required once
# `identity` is written. Shown in every page's footer, with 网站标识码 (site_id).
IDENTITY_KEYS = {
    "sponsor": (True, None, "主办单位"),
    "organiser": (True, None, "承办单位"),
    "icp": (True, None, "ICP备案号，例如 鲁ICP备00000000号，链接到工业和信息化部备案系统"),
    "police": (True, None, "公安机关备案号，例如 鲁公网安备 00000000000000号，链接到全国互联网安全管理服务平台中这个号码的备案信息"),
    "conac": (True, None, "党政机关网站标识的证书页面网址，页脚显示为文字链接「党政机关网站标识」"),
    "portal_name": (True, None, "上级门户网站的名称，页脚显示为链接「上级门户：名称」"),
    "portal_url": (True, None, "上级门户网站的网址，以 https:// 或 http:// 开头"),
    "address": (False, None, "主办单位地址"),
    "phone": (False, None, "联系电话"),
}
ICP_URL = "https://beian.miit.gov.cn/"  # 工业和信息化部 ICP/IP地址/域名信息备案管理系统
POLICE_URL = "https://beian.mps.gov.cn/#/query/webSearch?code="  # 全国互联网安全管理服务平台, + the record's digits
_ICP = re.compile(r"ICP备\d+号")
_POLICE = re.compile(r"公网安备\s*(\d+)\s*号")
_URL = re.compile(r"^https?://[^/\s]+(/\S*)?$")
AGENCY_KEYS = {
    "name": (True, None, "机构全称，文档的「发布机构」写这个名称"),
    "slug": (False, None, "网址中的目录名，默认用名称"),
    "code": (False, None, "索引号前缀（组织机构代码等）"),
    "doc_no_prefix": (False, None, "发文字号前缀，例如 临兰政办字"),
    "aliases": (False, None, "读者搜索时用的简称，例如 [省科技厅]；省工信厅、省政府这样的常见简称会自动生成"),
}
CATEGORY_KEYS = {
    "name": (True, None, "目录名称"),
    "slug": (False, None, "网址中的目录名，默认用名称"),
    "description": (False, None, "目录说明，显示在目录页"),
    "children": (False, None, "下级目录"),
}

# First-level URL folders the generator writes itself; a category may not take them.
RESERVED_SLUGS = frozenset({"doc", "agency", "year", "static", "files", "search", "pagefind", "postings", "page",
                            "elder", "accessibility", "rules", "guide", "data", "zh-hant", "sitemap",
                            # files at the site root
                            "feed.xml", "sitemap.xml", "robots.txt", "catalogue.json", "catalogue.csv", "404.html",
                            "index.html"})
# What a URL folder name may hold (an allow-list): letters of any script, digits, - _ . and
# the Chinese brackets and marks names use, starting with a letter or digit, so never ".",
# "..", a hidden folder (.search-records) or anything a URL or file system reads specially.
_SLUG = re.compile(r"\w[\w.\-\u3001\u3008-\u3011\u3014-\u301b\uff08\uff09\u00b7]*")


@dataclass(frozen=True)
class Agency:
    name: str
    slug: str
    code: str | None = None
    doc_no_prefix: str | None = None
    aliases: tuple[str, ...] = ()  # short names readers search by (generator/names.py adds derived ones)


@dataclass(frozen=True)
class Category:
    name: str
    slug: str
    path: tuple[str, ...]  # names from the first level down to this node
    slugs: tuple[str, ...]
    description: str | None
    children: tuple["Category", ...]
    line: int = 1  # where config.yml declares it, for messages about the column

    @property
    def key(self) -> str:
        """How documents name this node: the path joined with '/'."""
        return "/".join(self.path)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Guide:
    office: str
    address: str
    hours: str
    phone: str
    fax: str
    online: str
    postcode: str | None = None
    form: str | None = None


@dataclass(frozen=True)
class Identity:
    """The site's 网站标识 (国办发〔2017〕47号), shown in every page's footer."""

    sponsor: str  # 主办单位
    organiser: str  # 承办单位
    icp: str  # ICP备案号, as written
    police: str  # 公安机关备案号, as written
    conac: str  # the 党政机关网站标识 certificate page
    portal_name: str
    portal_url: str
    address: str | None = None
    phone: str | None = None

    @property
    def icp_url(self) -> str:
        return ICP_URL

    @property
    def police_url(self) -> str:
        """The record's page on the 公安 platform: its number is the digits of `police`."""
        return POLICE_URL + _POLICE.search(self.police)[1]


@dataclass(frozen=True)
class Column:
    """Another column searched by this site's 联合搜索 page."""

    name: str
    url: str  # its site root: absolute, or relative to this site's root


@dataclass(frozen=True)
class Config:
    path: Path
    name: str
    base_url: str
    theme: str
    page_size: int
    latest_count: int
    search_shard_size: int
    apply_url: str | None
    contact: str | None
    site_id: str | None
    index_scheme: str | None
    build_date: str | None
    agencies: tuple[Agency, ...]
    categories: tuple[Category, ...]
    guide: Guide | None = None
    traditional: str | None = None  # the OpenCC conversion of the 繁體 mirror, or None: no mirror
    federation: tuple[Column, ...] = ()  # other columns the search/all/ page searches too
    search_pagefind: bool = True  # whether a Pagefind bundle is built beside postings/
    identity: Identity | None = None  # 主办单位, 备案号 and the rest of the footer
    hide_empty_columns: bool = False  # columns without documents get no page and no link (Site.shown_categories)
    # Where a value was written ("theme", "guide.form", "agency:<name>", "category:<key>"): line
    # and column, for messages about it that only a later stage can find (the theme is missing,
    # the form is not there, a slug makes a page another page also makes).
    positions: dict = field(default_factory=dict, compare=False, hash=False)

    def where(self, key: str) -> tuple[int, int]:
        return self.positions.get(key, (1, 1))

    @property
    def root(self) -> Path:
        return self.path.parent

    def all_categories(self):
        for top in self.categories:
            yield from top.walk()


class _Reader:
    """Checks one mapping against its key table and reports every problem."""

    def __init__(self, path: Path, report: Report):
        self.path, self.report = path, report
        self.positions: dict[str, tuple[int, int]] = {}  # Config.positions: where values were written

    def place(self, key: str, node) -> None:
        self.positions.setdefault(key, (node.line, node.col))

    def error(self, node, code: str, message: str, hint: str = "") -> None:
        self.report.add(self.path, node.line, node.col, code, message, hint)

    def mapping(self, node, keys: dict, where: str) -> dict:
        if not isinstance(node, Map):
            self.error(node, "E005", f"{where}应当是「键: 值」的形式", "参照 README 中 config.yml 的示例。")
            return {}
        values = {}
        for key, value in node.items:
            if key.value not in keys:
                self.error(key, "E003", f"{where}中有未知的键「{key.value}」",
                           "可用的键：" + "、".join(keys) + "。")
            elif key.value in values:
                self.error(key, "E006", f"{where}中键「{key.value}」写了两次", "删除其中一个。")
            else:
                values[key.value] = value
        for key, (required, _default, _doc) in keys.items():
            if required and key not in values:
                self.error(node, "E004", f"{where}缺少必填的键「{key}」", f"{key}：{keys[key][2]}。")
        return values

    def text(self, values: dict, key: str, keys: dict, where: str) -> str | None:
        node = values.get(key)
        if node is None:
            return keys[key][1]
        if not isinstance(node, Scalar) or not node.value.strip():
            self.error(node, "E005", f"{where}的「{key}」应当是一段文字", f"{key}：{keys[key][2]}。")
            return None
        return node.value.strip()

    def texts(self, values: dict, key: str, keys: dict, where: str) -> tuple[str, ...]:
        """A list of words ([a, b]), or one word."""
        node = values.get(key)
        if node is None:
            return ()
        items = node.items if isinstance(node, Seq) else [node]
        found = []
        for item in items:
            if not isinstance(item, Scalar) or not item.value.strip():
                self.error(item, "E005", f"{where}的「{key}」应当是一个或几个词", f"{key}：{keys[key][2]}。")
                continue
            found.append(item.value.strip())
        return tuple(found)

    def number(self, values: dict, key: str, where: str) -> int:
        raw = self.text(values, key, SITE_KEYS, where)
        if raw is not None and raw.isdigit() and int(raw) > 0:
            return int(raw)
        if raw is not None:
            self.error(values[key], "E005", f"{where}的「{key}」应当是正整数，现在是「{raw}」", "例如：20。")
        return int(SITE_KEYS[key][1])

    def slug(self, values: dict, name: str | None, where: str) -> str:
        slug = self.text(values, "slug", CATEGORY_KEYS, where) or name or ""
        if not _SLUG.fullmatch(slug) or len(slug.encode()) > 200:
            self.error(values.get("slug") or values.get("name"), "E005",
                       f"{where}的网址目录名「{slug}」含有不能用在网址中的字符",
                       "slug 只用字母、数字、汉字、连字符、下划线和点（不以点开头），不要有空格和 /。")
        return slug


def _is_date(text: str) -> bool:
    """YYYY-MM-DD naming a day that exists (2021-02-30 does not)."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


# The config this process last read without a problem: path → (its bytes, the Config). make serve
# reads config.yml before every build; the same Config object again keeps the categories and
# agencies the same objects too, so that documents and page digests are remembered from build
# to build (content.py, frozen.py) rather than made again.
_LAST: dict[Path, tuple[bytes, Config]] = {}


def load_config(path: Path, report: Report) -> Config | None:
    """Read and check config.yml; every problem goes into `report`; None if unusable."""
    if not path.is_file():
        report.add(path, 1, 1, "E001", "找不到站点配置文件", "在站点目录中创建 config.yml，或用 --config 指定配置文件。")
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        report.add(path, 1, 1, "E001", f"无法读取站点配置文件（{exc.strerror}）", "检查 config.yml 的权限：运行构建的用户要能读取它。")
        return None
    last = _LAST.get(path)
    if last is not None and last[0] == data:
        return last[1]
    problems = len(report.problems)
    config = _load(path, data, report)
    if config is not None and len(report.problems) == problems:  # a Config read with warnings is read again
        _LAST.clear()
        _LAST[path] = (data, config)
    return config


def _load(path: Path, data: bytes, report: Report) -> Config | None:
    try:
        # (newlines as a file read as text has them)
        tree = load(data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n"))
    except UnicodeDecodeError:
        report.add(path, 1, 1, "E002", "配置文件不是 UTF-8 编码", "用编辑器把文件另存为 UTF-8 编码。")
        return None
    except YamlSyntaxError as exc:
        report.add(path, exc.line, exc.col, "E002", f"配置文件格式错误：{exc.message}", exc.hint)
        return None
    if tree is None:
        report.add(path, 1, 1, "E004", "配置文件是空的", "参照 README 中 config.yml 的示例填写。")
        return None
    for scalar in scalars(tree):  # "\v" written as a YAML escape would reach every page and feed
        found = schema.INVISIBLE.search(scalar.value)
        if found:
            report.add(path, scalar.line, scalar.col, "E002",
                       f"配置文件中有看不见的控制字符 {schema.describe(found[0])}", "删除这个字符，或者把这一项重新输入一遍。")
            return None
    r = _Reader(path, report)
    site = r.mapping(tree, SITE_KEYS, "站点配置")
    if not site:
        return None
    agencies = _agencies(r, site.get("agencies"))
    categories = _categories(r, site.get("categories"), (), ())
    for top in categories:
        if top.slug in RESERVED_SLUGS:
            node = _find(site.get("categories"), top.name)
            r.error(node, "E007", f"第一级目录「{top.name}」的网址目录名「{top.slug}」被系统占用",
                    "换一个 slug；系统占用：" + "、".join(sorted(RESERVED_SLUGS)) + "。")
    base_url = r.text(site, "base_url", SITE_KEYS, "站点配置") or "/"
    if "base_url" in site and not re.match(r"^https?://[^/\s]+(/\S*)?$", base_url):
        r.error(site["base_url"], "E005", f"站点网址「{base_url}」不是完整的网址", "写成 https://www.example.gov.cn/ 这样的形式。")
    build_date = r.text(site, "build_date", SITE_KEYS, "站点配置")
    if build_date is not None and not _is_date(build_date):
        r.error(site["build_date"], "E005", f"构建日期「{build_date}」格式不对", "写成 2024-01-05 这样的形式。")
        build_date = None
    name = r.text(site, "name", SITE_KEYS, "站点配置") or ""
    return Config(
        path=path,
        name=name,
        base_url=base_url.rstrip("/") + "/",
        theme=r.text(site, "theme", SITE_KEYS, "站点配置") or "default",
        page_size=r.number(site, "page_size", "站点配置"),
        latest_count=r.number(site, "latest_count", "站点配置"),
        search_shard_size=r.number(site, "search_shard_size", "站点配置"),
        apply_url=r.text(site, "apply_url", SITE_KEYS, "站点配置"),
        contact=r.text(site, "contact", SITE_KEYS, "站点配置"),
        site_id=r.text(site, "site_id", SITE_KEYS, "站点配置"),
        index_scheme=r.text(site, "index_scheme", SITE_KEYS, "站点配置"),
        build_date=build_date,
        agencies=agencies,
        categories=categories,
        guide=_guide(r, site.get("guide")),
        traditional=_traditional(r, site),
        federation=_federation(r, site.get("federation"), name),
        identity=_identity(r, site.get("identity")),
        hide_empty_columns=_flag(r, site, "hide_empty_columns"),
        search_pagefind=_search(r, site.get("search")),
        positions={**r.positions, **_positions(site)},
    )


def _positions(site: dict) -> dict[str, tuple[int, int]]:
    """The line and column of the values later stages check: the theme and the guide's form."""
    found = {}
    if "theme" in site:
        found["theme"] = (site["theme"].line, site["theme"].col)
    guide = site.get("guide")
    for key, value in guide.items if isinstance(guide, Map) else ():
        if key.value == "form":
            found["guide.form"] = (value.line, value.col)
    return found


def _search(r: _Reader, node) -> bool:
    """search: {pagefind: …}; whether to build the Pagefind bundle."""
    if node is None:
        return True
    where = "搜索选项（search）"
    return _flag(r, r.mapping(node, SEARCH_KEYS, where), "pagefind", SEARCH_KEYS, where)


def _federation(r: _Reader, node, own_name: str | None) -> tuple[Column, ...]:
    names = {own_name}
    if node is None:
        return ()
    where = "联合搜索（federation）的专栏"
    if not isinstance(node, Seq) or not node.items:
        r.error(node, "E005", "federation 应当是专栏列表", "每个专栏一行，例如「- {name: 兰山区, url: ../lanshan/}」。")
        return ()
    columns = []
    for item in node.items:
        values = r.mapping(item, FEDERATION_KEYS, where)
        name, url = (r.text(values, key, FEDERATION_KEYS, where) for key in ("name", "url"))
        # A relative address must leave this site's folder: whatever lies inside output/ is the build's.
        if url is not None and (not url.endswith("/") or re.search(r"[\s?#]", url) or
                                not re.match(r"^(https?://[^/\s]+/|(\.\./)+[^./])", url)):
            r.error(values["url"], "E005", f"专栏网址「{url}」不能用",
                    "写专栏网站的根网址，以 / 结尾：https://www.example.gov.cn/lanshan/，或本站旁边的 ../lanshan/。")
            continue
        if name in names:
            what = "与本站同名" if name == own_name else "写了两次"
            r.error(values["name"], "E006", f"联合搜索的专栏「{name}」{what}", "每个专栏用不同的名称，也不要与本站同名。")
            continue
        if name and url:
            names.add(name)
            columns.append(Column(name, url))
    return tuple(columns)


TRUE, FALSE = ("true", "yes", "on", "是"), ("false", "no", "off", "否")


def _traditional(r: _Reader, site: dict) -> str | None:
    raw = r.text(site, "traditional", SITE_KEYS, "站点配置")
    value = (raw or "false").lower()
    if value in FALSE:
        return None
    if value in TRUE:
        return traditional.DEFAULT
    if value in traditional.CONVERSIONS:
        return value
    r.error(site["traditional"], "E005", f"traditional 的值「{raw}」无法识别",
            "写 true（生成繁体版）或 false；也可以写转换方案：" + "、".join(traditional.CONVERSIONS) + "。")
    return None


def _flag(r: _Reader, site: dict, key: str, keys: dict = SITE_KEYS, where: str = "站点配置") -> bool:
    raw = r.text(site, key, keys, where)
    value = (raw or keys[key][1]).lower()
    if value not in TRUE + FALSE:
        r.error(site[key], "E005", f"{key} 的值「{raw}」无法识别", "写 true 或 false。")
    return value in TRUE


def _identity(r: _Reader, node) -> Identity | None:
    if node is None:
        return None
    where = "网站标识（identity）"
    values = r.mapping(node, IDENTITY_KEYS, where)
    texts = {key: r.text(values, key, IDENTITY_KEYS, where) for key in IDENTITY_KEYS}
    checks = (("icp", _ICP, "ICP备案号", "写成「鲁ICP备00000000号」这样的形式，照抄工业和信息化部备案系统中的号码。"),
              ("police", _POLICE, "公安机关备案号", "写成「鲁公网安备 00000000000000号」这样的形式，照抄全国互联网安全管理服务平台中的号码。"),
              ("conac", _URL, "党政机关网站标识的网址", "写标识证书页面的完整网址，以 https:// 开头。"),
              ("portal_url", _URL, "上级门户网站的网址", "写完整的网址，例如 https://www.example.gov.cn/。"))
    for key, pattern, what, hint in checks:
        if texts[key] is not None and not pattern.search(texts[key]):
            r.error(values[key], "E005", f"{where}的{what}「{texts[key]}」格式不对", hint)
            texts[key] = None
    if any(texts[key] is None for key, (required, _d, _doc) in IDENTITY_KEYS.items() if required):
        return None
    return Identity(**texts)


def _guide(r: _Reader, node) -> Guide | None:
    if node is None:
        return None
    values = r.mapping(node, GUIDE_KEYS, "政府信息公开指南（guide）")
    texts = {key: r.text(values, key, GUIDE_KEYS, "政府信息公开指南（guide）") for key in GUIDE_KEYS}
    if any(texts[key] is None for key, (required, _d, _doc) in GUIDE_KEYS.items() if required):
        return None
    return Guide(**texts)


def _find(node, name):
    for item in node.items:
        for key, value in item.items:
            if key.value == "name" and value.value == name:
                return value
    return node


def _agencies(r: _Reader, node) -> tuple[Agency, ...]:
    if node is None:
        return ()
    if not isinstance(node, Seq):
        r.error(node, "E005", "agencies 应当是机构列表", "每个机构一行，以「- name: 机构名称」开头。")
        return ()
    agencies, names, slugs = [], set(), set()
    for item in node.items:
        values = r.mapping(item, AGENCY_KEYS, "发布机构")
        name = r.text(values, "name", AGENCY_KEYS, "发布机构") if values else None
        if not name:
            continue
        slug = r.slug(values, name, f"发布机构「{name}」")
        if name in names:
            r.error(values["name"], "E006", f"发布机构「{name}」声明了两次", "删除重复的一项。")
        elif slug in slugs:
            r.error(values.get("slug") or values["name"], "E006", f"发布机构的网址目录名「{slug}」重复", "每个机构用不同的 slug。")
        names.add(name)
        slugs.add(slug)
        r.place(f"agency:{name}", values.get("slug") or values["name"])
        agencies.append(Agency(name, slug, r.text(values, "code", AGENCY_KEYS, "发布机构"),
                               r.text(values, "doc_no_prefix", AGENCY_KEYS, "发布机构"),
                               r.texts(values, "aliases", AGENCY_KEYS, f"发布机构「{name}」")))
    return tuple(agencies)


def _categories(r: _Reader, node, path: tuple, slugs: tuple) -> tuple[Category, ...]:
    if node is None:
        return ()
    if not isinstance(node, Seq):
        r.error(node, "E005", "categories 应当是目录列表", "每个目录一行，以「- name: 目录名称」开头。")
        return ()
    result, seen = [], {}
    for item in node.items:
        values = r.mapping(item, CATEGORY_KEYS, "公开目录")
        name = r.text(values, "name", CATEGORY_KEYS, "公开目录") if values else None
        if not name:
            continue
        if "/" in name:
            r.error(values["name"], "E005", f"目录名称「{name}」里不能有 /", "/ 用来分隔上下级目录，换一个名称。")
            continue
        slug = r.slug(values, name, f"公开目录「{name}」")
        if name in seen or slug in seen.values():
            r.error(values["name"], "E006", f"同一级中目录「{name}」或其网址目录名「{slug}」重复", "同一级的目录名称和 slug 都不能相同。")
        seen[name] = slug
        r.place("category:" + "/".join(path + (name,)), values.get("slug") or values["name"])
        children = _categories(r, values.get("children"), path + (name,), slugs + (slug,))
        result.append(Category(name, slug, path + (name,), slugs + (slug,),
                               r.text(values, "description", CATEGORY_KEYS, "公开目录"), children,
                               values["name"].line))
    return tuple(result)
