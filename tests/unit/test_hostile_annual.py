"""年报 numbers that Python's int() and Decimal() would take or choke on: each is E124 with a
plain message, never a traceback, and never NaN or 1E+100000 on a page."""
from __future__ import annotations

from decimal import Decimal

import pytest

from gongkai import annual, yamltree
from helpers import make_site
from test_annual import report
from test_hostile_markup import bounded


def parse(key: str, value: str):
    """annual.parse of a 年报 block with one value; the Invalid's message, hint and place if refused."""
    node = yamltree.load(f'年度: 2024\n{key}: "{value}"\n')
    try:
        return annual.parse(node)
    except annual.Invalid as exc:
        return exc.message, exc.hint, exc.node.line


NOT_A_COUNT = "只写数字，例如 12。"


@pytest.mark.parametrize("value", ["NaN", "nan", "Infinity", "-Infinity", "inf", "1e999", "1E+100000", "sNaN",
                                   "1_000", "+5", "-1", "1.5", "0x10", "١٢٣٤٥٦٧٨٩٠١٢٣"])
def test_counts_are_whole_numbers_written_out(value):
    message, hint, line = parse("行政许可", value)
    assert (hint, line) == (NOT_A_COUNT if value != "١٢٣٤٥٦٧٨٩٠١٢٣" else "写实际的数量，最多 12 位数字。", 2)
    assert "「行政许可」" in message


def test_a_count_of_thousands_of_digits_is_refused_without_quoting_it():
    # int() refuses more than 4,300 digits with a ValueError; 13 are already too many.
    assert parse("行政许可", "9" * 5000) == ("「行政许可」的数字太大（5000 位）", "写实际的数量，最多 12 位数字。", 2)
    assert parse("行政许可", "1" * 13)[0] == "「行政许可」的数字太大（13 位）"
    assert parse("行政许可", "1" * 12).decisions["行政许可"] == 111_111_111_111
    node = yamltree.load("年度: 2024\n申请:\n  新收: [1, 2, 3, 4, 5, " + "9" * 5000 + "]\n")
    with pytest.raises(annual.Invalid, match="「新收」的数字太大（5000 位）"):
        annual.parse(node)


@pytest.mark.parametrize("value", ["NaN", "-NaN", "sNaN", "Infinity", "-Infinity", "1e999", "1E+100000", "1,000",
                                   "1_000", "+5", "0x10", ".", "-", ""])
def test_fees_are_finite_decimals_written_out(value):
    assert parse("行政事业性收费", value) == (f"行政事业性收费「{value}」不是数字", "写本年收费金额，单位万元，例如 12.5。", 2)


def test_fees_are_bounded_and_not_negative():
    assert parse("行政事业性收费", "-1.5") == ("行政事业性收费不能是负数", "写本年收费金额，单位万元。", 2)
    too_many = "单位是万元：整数部分最多 12 位，小数最多 6 位，例如 12.5。"
    assert parse("行政事业性收费", "1" * 13) == ("行政事业性收费「1111111111111」的位数太多", too_many, 2)
    assert parse("行政事业性收费", "9" * 5000) == ("行政事业性收费「" + "9" * 30 + "…」的位数太多", too_many, 2)
    assert parse("行政事业性收费", "0.1234567") == ("行政事业性收费「0.1234567」的位数太多", too_many, 2)
    for value, fees in (("1.25", "1.25"), ("12.345678", "12.345678"), (".5", "0.5"), ("5.", "5"), ("0", "0")):
        assert parse("行政事业性收费", value).fees == Decimal(fees)


def test_a_nan_fee_fails_the_build_with_e124(site_root):
    site = make_site(site_root, {"r.md": report(2024, '\n  行政事业性收费: NaN')})
    assert bounded(site.build_fails, seconds=10) == [
        "site/content/r.md:10:12: 错误[E124]: 行政事业性收费「NaN」不是数字\n  提示：写本年收费金额，单位万元，例如 12.5。"]
    site = make_site(site_root, {"r.md": report(2024, "\n  行政许可: " + "9" * 5000)})
    assert bounded(site.build_fails, seconds=10) == [
        "site/content/r.md:10:9: 错误[E124]: 「行政许可」的数字太大（5000 位）\n  提示：写实际的数量，最多 12 位数字。"]
