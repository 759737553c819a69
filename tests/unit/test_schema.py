import datetime as dt

import pytest

from gongkai import schema
from gongkai.yamltree import Map, Seq, YamlSyntaxError, load


@pytest.mark.parametrize("text, expected", [
    ("2021-07-24", dt.date(2021, 7, 24)),
    ("2021/7/24", dt.date(2021, 7, 24)),
    ("2021年7月24日", dt.date(2021, 7, 24)),
    ("2019年01月27日", dt.date(2019, 1, 27)),
    ("２０２１年７月２４日", dt.date(2021, 7, 24)),  # full-width digits
    ("２０２１－０７－２４", dt.date(2021, 7, 24)),
    (" 2021-07-24　", dt.date(2021, 7, 24)),  # full-width space
    ("2021.7.24", dt.date(2021, 7, 24)),
])
def test_dates_as_editors_write_them(text, expected):
    assert schema.parse_date(text) == expected


@pytest.mark.parametrize("text", ["2021-02-30", "2021年13月1日", "昨天", "20210724", "2021-07", ""])
def test_not_dates(text):
    assert schema.parse_date(text) is None


def test_yaml_scalars_stay_strings():
    tree = load("索引号: 0123\n公开: no\n日期: 2024-01-05\n编号: 1e3\n", first_line=2)
    assert isinstance(tree, Map)
    values = {k.value: v.value for k, v in tree.items}
    assert values == {"索引号": "0123", "公开": "no", "日期": "2024-01-05", "编号": "1e3"}


def test_yaml_positions_are_file_lines():
    tree = load("a: x\nb:\n  - y\n  - z\n", first_line=2)
    (ka, va), (kb, vb) = tree.items
    assert (ka.line, ka.col, va.line, va.col) == (2, 1, 2, 4)
    assert isinstance(vb, Seq) and [(i.value, i.line) for i in vb.items] == [("y", 4), ("z", 5)]


def test_yaml_error_is_located_and_chinese():
    with pytest.raises(YamlSyntaxError) as info:
        load("标题: 好\n\t索引号: 1\n", first_line=2)
    assert (info.value.line, info.value.message) == (3, "这一行用了 Tab 键缩进")


def test_every_field_has_both_keys_and_a_description():
    assert len(schema.BY_KEY) == 2 * len(schema.FIELDS)
    assert all(f.doc and f.zh and f.key.isascii() for f in schema.FIELDS)


def test_agency_lists_split_on_chinese_separators():
    assert schema.split_list("国务院办公厅、中央军委办公厅") == ["国务院办公厅", "中央军委办公厅"]
    assert schema.split_list("甲，乙; 丙") == ["甲", "乙", "丙"]
