"""What a document and a query are cut into (generator/postings.py normalize and tokens): the
same terms however a citizen writes a 文号, in 繁體 or 简体, with or without quotes."""
from __future__ import annotations

import pytest

from gongkai import fold, names
from gongkai.postings import tokens


@pytest.mark.parametrize("spelling", ["冀政办字〔2021〕63号", "冀政办字[2021]63号", "冀政办字【2021】63号",
                                      "冀政办字2021年63号", "冀政办字（2021）第63号", "冀政办字[2021]063号",
                                      "冀政办字2021063号", "冀政辦字〔２０２１〕６３號"])
def test_every_spelling_of_a_doc_number_gives_the_same_terms(spelling):
    # #2021/63: this year and serial written as a 文号, so that it is told from 2021 and 63 apart.
    assert tokens(spelling) == ["#2021/63", "冀政", "政办", "办字", "2021", "63"]


def test_numbers_without_a_doc_number_shape_are_plain_numbers():
    assert tokens("冀政办字 2021 063") == ["冀政", "政办", "办字", "2021", "63"]
    assert tokens("2021年6月1日") == ["2021", "6", "1"]


def test_a_decree_number_with_year_and_ordinal_inside():
    assert tokens("河北省人民政府令〔2021〕第3号")[-2:] == tokens("省政府令2021年第3号")[-2:] == ["2021", "3"]


def test_quotes_and_book_title_marks_do_not_split_a_phrase():
    assert tokens("实施“数字河北”工程") == tokens("实施数字河北工程")
    assert "例实" in tokens("《条例》实施")


def test_traditional_text_folds_to_simplified():
    assert tokens("政務公開工作要點") == tokens("政务公开工作要点")
    assert tokens("臺灣") == tokens("台湾")  # a Taiwan form too (OpenCC tw2s)


def test_the_folding_table_comes_from_opencc_and_changes_no_simplified_character():
    table = fold.table()
    assert len(table) > 4000
    assert fold.fold("發佈頭髮") == "发布头发"
    simplified = "政务公开信息条例规范性文件年度报告工业和信息化厅人力资源和社会保障"
    assert fold.fold(simplified) == simplified


def test_short_names_derived_from_full_names():
    assert names.derived("河北省工业和信息化厅")[-1] == "省工信厅"
    assert names.derived("河北省人力资源和社会保障厅")[-1] == "省人社厅"
    assert "省政府" in names.derived("河北省人民政府")
    assert names.derived("临沂市发展和改革委员会")[-1] == "市发改委"
    assert names.derived("兰山区方城镇") == []  # a town: no short name anyone types
    assert names.derived("中共绍兴市上虞区委办公室") == []


def test_a_short_name_two_agencies_share_is_dropped_and_config_aliases_come_first():
    from gongkai.config import Agency
    agencies = [Agency("河北省教育厅", "a", aliases=("省教厅",)), Agency("山西省教育厅", "b"),
                Agency("河北省科学技术厅", "c", aliases=("省科技厅",))]
    found = names.aliases(agencies)
    assert found["河北省教育厅"] == ("省教厅",)  # 省教育厅 would name both
    assert found["山西省教育厅"] == ()
    assert found["河北省科学技术厅"] == ("省科技厅", "省科学技术厅")
