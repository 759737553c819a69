"""政府信息公开工作年度报告: the numbers editors write, the numbers computed from the content,
and the tables in the layout of 国办公开办函〔2021〕30号.

Table 二's rows for 规章 and 行政规范性文件 are counted from the published documents of the
report's agency; every other number comes from the report's front matter (key 年报).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from . import validity
from .model import Document, Site
from .yamltree import Map, Scalar, Seq

# 表三 columns: who applied. Editors give one number per column; 总计 is computed.
APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")

# 表三 rows editors fill in (key, label, level); (key None) rows are headings or computed.
APPLICATION_ROWS = (
    ("新收", "一、本年新收政府信息公开申请数量", 0),
    ("上年结转", "二、上年结转政府信息公开申请数量", 0),
    (None, "三、本年度办理结果", 0),
    ("予以公开", "（一）予以公开", 1),
    ("部分公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1),
    (None, "（三）不予公开", 1),
    ("国家秘密", "1．属于国家秘密", 2),
    ("法律禁止", "2．其他法律行政法规禁止公开", 2),
    ("三安全一稳定", "3．危及“三安全一稳定”", 2),
    ("第三方权益", "4．保护第三方合法权益", 2),
    ("内部事务", "5．属于三类内部事务信息", 2),
    ("过程性信息", "6．属于四类过程性信息", 2),
    ("执法案卷", "7．属于行政执法案卷", 2),
    ("行政查询", "8．属于行政查询事项", 2),
    (None, "（四）无法提供", 1),
    ("不掌握", "1．本机关不掌握相关政府信息", 2),
    ("另行制作", "2．没有现成信息需要另行制作", 2),
    ("补正不明确", "3．补正后申请内容仍不明确", 2),
    (None, "（五）不予处理", 1),
    ("信访举报", "1．信访举报投诉类申请", 2),
    ("重复申请", "2．重复申请", 2),
    ("出版物", "3．要求提供公开出版物", 2),
    ("大量反复", "4．无正当理由大量反复申请", 2),
    ("确认信息", "5．要求行政机关确认或重新出具已获取信息", 2),
    (None, "（六）其他处理", 1),
    ("逾期不补正", "1．申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 2),
    ("逾期未缴费", "2．申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", 2),
    ("其他处理", "3．其他", 2),
    (None, "（七）总计", 1),
    ("结转下年", "四、结转下年度继续办理", 0),
)
RESULT_KEYS = tuple(key for key, _label, level in APPLICATION_ROWS[3:-2] if key)  # what (七) 总计 adds up
REVIEW_PARTS = {"行政复议": "行政复议", "直接起诉": "未经复议直接起诉", "复议后起诉": "复议后起诉"}
OUTCOMES = ("结果维持", "结果纠正", "其他结果", "尚未审结")
DECISIONS = {"行政许可": "第二十条第（五）项", "行政处罚": "第二十条第（六）项", "行政强制": "第二十条第（六）项"}
FIELD_KEYS = ("年度", "行政许可", "行政处罚", "行政强制", "行政事业性收费", "申请", "复议诉讼")


@dataclass(frozen=True)
class AnnualData:
    year: int
    decisions: dict  # 行政许可 / 行政处罚 / 行政强制 → 本年处理决定数量
    fees: Decimal | None  # 行政事业性收费，万元
    applications: dict = field(default_factory=dict)  # row key → six numbers
    reviews: dict = field(default_factory=dict)  # 行政复议 / 直接起诉 / 复议后起诉 → four numbers


class Invalid(Exception):
    def __init__(self, node, message: str, hint: str):
        super().__init__(message)
        self.node, self.message, self.hint = node, message, hint


def parse(node) -> AnnualData:
    """The 年报 block of a report's front matter; raises Invalid at the first faulty value."""
    if not isinstance(node, Map):
        raise Invalid(node, "「年报」应当是「项目: 数字」的形式", "参照 README「年报」一节的示例。")
    values = {}
    for key, value in node.items:
        if key.value not in FIELD_KEYS:
            raise Invalid(key, f"「年报」中有未知的项目「{key.value}」", "可用的项目：" + "、".join(FIELD_KEYS) + "。")
        values[key.value] = value
    if "年度" not in values:
        raise Invalid(node, "「年报」缺少「年度」", "写成「年度: 2021」。")
    year = _whole(values["年度"], "年度")
    if not 1990 <= year <= 2100:
        raise Invalid(values["年度"], f"年度「{year}」不对", "写四位数的年份，例如 2021。")
    decisions = {name: _whole(values[name], name) if name in values else 0 for name in DECISIONS}
    fees = _fees(values["行政事业性收费"]) if "行政事业性收费" in values else None
    applications = _rows(values.get("申请"), {key for key, _l, _v in APPLICATION_ROWS if key}, len(APPLICANTS),
                         "申请", "每项写六个数字：" + "、".join(APPLICANTS) + "。")
    reviews = _rows(values.get("复议诉讼"), set(REVIEW_PARTS), len(OUTCOMES), "复议诉讼",
                    "每项写四个数字：" + "、".join(OUTCOMES) + "。")
    return AnnualData(year, decisions, fees, applications, reviews)


def _scalar(node, name: str) -> str:
    if not isinstance(node, Scalar):
        raise Invalid(node, f"「{name}」应当是一个数字", "写成「项目: 数字」。")
    return node.value.strip()


# Numbers are read by pattern, never by what Python's int() or Decimal() would accept: they
# take NaN, Infinity, 1E+100000 and 1_000, and int() refuses more than 4,300 digits. A count is a
# whole number of at most 12 digits; a fee, in 万元, has at most 12 digits before the point and
# 6 after.
MAX_DIGITS, MAX_DECIMALS = 12, 6
_WHOLE = re.compile(r"\d+")
_DECIMAL = re.compile(r"(\d*)(?:\.(\d*))?")


def _whole(node, name: str) -> int:
    text = _scalar(node, name)
    if not _WHOLE.fullmatch(text):
        raise Invalid(node, f"「{name}」应当是不小于 0 的整数，现在是「{_shown(text)}」", "只写数字，例如 12。")
    if len(text) > MAX_DIGITS:
        raise Invalid(node, f"「{name}」的数字太大（{len(text)} 位）", f"写实际的数量，最多 {MAX_DIGITS} 位数字。")
    return int(text)


def _fees(node) -> Decimal:
    text = _scalar(node, "行政事业性收费")
    m = _DECIMAL.fullmatch(text.removeprefix("-"))
    if m is None or not (m[1] or m[2]):
        raise Invalid(node, f"行政事业性收费「{_shown(text)}」不是数字", "写本年收费金额，单位万元，例如 12.5。")
    if text.startswith("-"):
        raise Invalid(node, "行政事业性收费不能是负数", "写本年收费金额，单位万元。")
    if len(m[1]) > MAX_DIGITS or len(m[2] or "") > MAX_DECIMALS:
        raise Invalid(node, f"行政事业性收费「{_shown(text)}」的位数太多",
                      f"单位是万元：整数部分最多 {MAX_DIGITS} 位，小数最多 {MAX_DECIMALS} 位，例如 12.5。")
    return Decimal(text)


def _shown(text: str) -> str:
    """A value as quoted in a message: a pasted page of digits is not repeated whole."""
    return text if len(text) <= 30 else text[:30] + "…"


def _rows(node, keys: set, width: int, name: str, hint: str) -> dict:
    if node is None:
        return {}
    if not isinstance(node, Map):
        raise Invalid(node, f"「{name}」应当是「项目: [数字, …]」的形式", hint)
    rows = {}
    for key, value in node.items:
        if key.value not in keys:
            raise Invalid(key, f"「{name}」中有未知的项目「{key.value}」", "可用的项目：" + "、".join(sorted(keys)) + "。")
        if not isinstance(value, Seq) or len(value.items) != width:
            raise Invalid(value, f"「{name}」的「{key.value}」应当是 {width} 个数字", hint)
        rows[key.value] = tuple(_whole(item, key.value) for item in value.items)
    return rows


# --- computed tables ----------------------------------------------------------------------

@dataclass(frozen=True)
class RuleCounts:
    issued: int  # 本年制发件数
    repealed: int  # 本年废止件数
    in_force: int  # 现行有效件数 at the end of the year


def rule_counts(site: Site, agency: str, kind: str, year: int) -> RuleCounts:
    docs = [d for d in site.documents
            if d.category.name == kind and agency in (a.name for a in d.agencies)]
    end = dt.date(year, 12, 31)
    return RuleCounts(
        issued=sum(d.date.year == year for d in docs),
        repealed=sum(d.ended is not None and d.ended.year == year for d in docs),
        in_force=sum(d.date <= end and not _ended_by(d, end) for d in docs),
    )


def _ended_by(doc: Document, end: dt.date) -> bool:
    """No longer in force on `end`. A document marked 废止 with no 失效日期 counts as ended always."""
    if doc.validity == validity.VALID:
        return False
    return doc.ended is None or doc.ended <= end


@dataclass(frozen=True)
class Table2:
    rules: dict  # 规章 / 行政规范性文件 → RuleCounts
    previous: dict  # the same for the year before, for the check
    checks: dict  # kind → passed?


def table2(site: Site, doc: Document) -> Table2:
    agency = doc.agencies[0].name
    year = doc.annual.year
    rules = {kind: rule_counts(site, agency, kind, year) for kind in validity.NORMATIVE}
    previous = {kind: rule_counts(site, agency, kind, year - 1) for kind in validity.NORMATIVE}
    checks = {kind: rules[kind].in_force == previous[kind].in_force + rules[kind].issued - rules[kind].repealed
              for kind in validity.NORMATIVE}
    return Table2(rules, previous, checks)


@dataclass(frozen=True)
class Table3:
    rows: list  # (label, level, numbers with 总计 appended, or None for a heading row)
    check: tuple  # per column: 一 + 二 == 三（七）+ 四
    passed: bool


def table3(data: AnnualData) -> Table3:
    def row(key: str) -> tuple:
        numbers = data.applications.get(key, (0,) * len(APPLICANTS))
        return numbers + (sum(numbers),)

    total = tuple(sum(row(key)[i] for key in RESULT_KEYS) for i in range(len(APPLICANTS) + 1))
    rows = []
    for key, label, level in APPLICATION_ROWS:
        numbers = row(key) if key else total if label == "（七）总计" else None
        rows.append((label, level, numbers))
    check = tuple(row("新收")[i] + row("上年结转")[i] == total[i] + row("结转下年")[i] for i in range(len(APPLICANTS) + 1))
    return Table3(rows, check, all(check))


def table4(data: AnnualData) -> dict:
    """行政复议, 未经复议直接起诉, 复议后起诉: four outcomes and their 总计 each."""
    result = {}
    for key, label in REVIEW_PARTS.items():
        numbers = data.reviews.get(key, (0,) * len(OUTCOMES))
        result[label] = numbers + (sum(numbers),)
    return result


# --- CSV and placement ------------------------------------------------------------------------

def csv_bytes(rows: list[list]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel and WPS open it in Chinese."""
    import csv
    import io
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def csv2(t: Table2, data: AnnualData) -> list[list]:
    rows = [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]]
    rows += [[kind, c.issued, c.repealed, c.in_force] for kind, c in t.rules.items()]
    rows += [["信息内容", "本年处理决定数量"]] + [[name, data.decisions[name]] for name in DECISIONS]
    rows += [["信息内容", "本年收费金额（单位：万元）"], ["行政事业性收费", data.fees if data.fees is not None else 0]]
    return rows


def csv3(t: Table3) -> list[list]:
    rows = [["办理情况", *APPLICANTS, "总计"]]
    return rows + [[label, *(numbers or [])] for label, _level, numbers in t.rows]


def csv4(t: dict) -> list[list]:
    rows = [["类别", *OUTCOMES, "总计"]]
    return rows + [[part, *numbers] for part, numbers in t.items()]




def place(body: str, heading: str, table: str) -> str:
    """Put the table right after the body's h2 that names its section, else at the end."""
    pattern = re.compile(r"(<h2[^>]*>[^<]*" + re.escape(heading) + r"[^<]*</h2>)")
    if pattern.search(body):
        return pattern.sub(lambda m: m[1] + "\n" + table, body, count=1)
    return body + f"\n<h2>{heading}情况</h2>\n" + table
