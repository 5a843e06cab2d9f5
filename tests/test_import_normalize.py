"""Cell values as people type them become the values the register stores."""

import datetime
from decimal import Decimal

import pytest

from registry import credit_code
from registry.models import LegalForm
from website.importer import normalize
from website.importer.normalize import CellError, Choices

MARCH_2 = datetime.date(2022, 3, 2)


def test_full_width_digits_letters_and_spaces_become_half_width():
    assert normalize.text("ｎｏ.１２") == "no.12"
    assert normalize.compatible_text("０５７３－８４１２３４５６") == "0573-84123456"
    assert normalize.text("ＡＢＣ社区\u3000服务中心") == "ABC社区 服务中心"


def test_chinese_punctuation_in_names_is_kept():
    # NFKC would turn these brackets into ASCII ones and make an unchanged name look changed.
    assert normalize.text("嘉善县某某协会（筹）") == "嘉善县某某协会（筹）"


def test_stray_whitespace_is_removed():
    assert normalize.text("  西塘镇 \t 某某路\n1号 ") == "西塘镇 某某路 1号"
    assert normalize.text("\u200b魏塘街道\xa0") == "魏塘街道"
    assert normalize.multiline_text("  第一行  \r\n 第二行 \n\n") == "第一行\n第二行"


def test_numbers_from_excel_cells_read_as_text_without_decimals():
    assert normalize.text(13800000000.0) == "13800000000"
    assert normalize.text(None) == ""


@pytest.mark.parametrize("written", [
    "2022-03-02", "2022/3/2", "2022.3.2", "2022年3月2日", "2022年03月02日", "２０２２－０３－０２",
    " 2022-3-2 ", "20220302", "2022-03-02 00:00:00",
])
def test_dates_in_the_ways_people_write_them(written):
    assert normalize.date(written) == MARCH_2


def test_excel_date_serials_and_date_cells():
    assert normalize.date(44622) == MARCH_2
    assert normalize.date(44622.0) == MARCH_2
    assert normalize.date("44622") == MARCH_2
    assert normalize.date(datetime.datetime(2022, 3, 2, 0, 0)) == MARCH_2
    assert normalize.date(MARCH_2) == MARCH_2


def test_empty_date_is_none_and_bad_dates_say_why():
    assert normalize.date("") is None
    assert normalize.date(None) is None
    with pytest.raises(CellError, match="“2022-02-30”不存在"):
        normalize.date("2022-02-30")
    with pytest.raises(CellError, match="“三月二日”不是有效的日期"):
        normalize.date("三月二日")
    with pytest.raises(CellError, match="不是有效的日期"):
        normalize.date("2022")  # a year alone is not a date (nor an Excel serial)


def test_credit_codes_in_lower_case_or_full_width_are_normalized():
    code = credit_code.make(legal_form_code="1", division_code="330421", body="MJ0000001")
    assert credit_code.normalize(code.lower()) == code
    full_width = code.lower().translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789abcdefghijklmnopqrstuvwxyz"})
    assert credit_code.normalize(" " + full_width + " ") == code
    assert normalize.credit_code(" " + full_width) == code
    with_dashes = f"{code[:2]}-{code[2:8]} {code[8:]}".lower()
    assert normalize.credit_code(with_dashes) == credit_code.normalize(with_dashes) == code


# Escapes, not the characters: an editor that turns full-width punctuation into ASCII would
# otherwise make this test pass while real files (U+3001, U+FF1B, U+FF0C) are refused.
@pytest.mark.parametrize("written", [
    "民生服务\u3001社区治理", "民生服务\uFF1B社区治理", "民生服务;社区治理", "民生服务\uFF0C社区治理",
    "民生服务,社区治理", "民生服务\uFF0C 社区治理", " 民生服务 \u3001\u3001社区治理\u3001",
    "民生服务\n社区治理", "民生服务\u3001社区治理\uFF1B民生服务",
])
def test_multi_value_cells_split_on_every_separator(written):
    assert normalize.split_multi(written) == ["民生服务", "社区治理"]


@pytest.mark.parametrize("written", [
    "民生服务\uFE51社区治理", "民生服务\uFF64社区治理", "民生服务\uFE54社区治理", "民生服务\uFE50社区治理",
    "民生服务\r\n社区治理", "民生服务\r社区治理", "民生服务\u2028社区治理",
])
def test_multi_value_cells_split_on_the_forms_input_methods_give(written):
    # U+FE51 and U+FF64 are small and half-width forms of U+3001; U+FE54 of U+FF1B; U+FE50 of ,
    assert normalize.split_multi(written) == ["民生服务", "社区治理"]


def test_a_separator_inside_brackets_is_part_of_the_name():
    assert normalize.split_multi(
        "法律服务\uFF08调解\u3001援助\uFF09\u3001社区治理\uFF1B民生服务(养老,托育)") == [
        "法律服务\uFF08调解\u3001援助\uFF09", "社区治理", "民生服务(养老,托育)"]
    # A bracket left open encloses nothing.
    assert normalize.split_multi("民生服务\uFF08\u3001社区治理") == ["民生服务\uFF08", "社区治理"]


@pytest.mark.parametrize("written, expected", [
    ("业务主管单位\uFF1A嘉善县教育局", "嘉善县教育局"),
    ("业务主管单位 \uFF1A 嘉善县教育局", "嘉善县教育局"),
    ("业务主管单位:嘉善县教育局", "嘉善县教育局"),
    ("嘉善县教育局", "嘉善县教育局"),
    ("业务主管单位嘉善县教育局", "业务主管单位嘉善县教育局"),  # no colon: not a label
    ("嘉善县教育局\uFF1A业务主管单位", "嘉善县教育局\uFF1A业务主管单位"),
])
def test_a_cell_repeating_its_column_name_and_a_colon_loses_it(written, expected):
    assert normalize.without_label(written, ("业务主管单位",)) == expected


def test_years_and_amounts():
    assert normalize.integer("２０２１年度", suffixes=("年度", "年")) == 2021
    assert normalize.integer(2021.0) == 2021
    with pytest.raises(CellError, match="“2021.5”不是有效的年度"):
        normalize.integer(2021.5, what="年度")
    assert normalize.decimal("12,000.50元") == Decimal("12000.50")
    assert normalize.decimal("¥３０００") == Decimal("3000")
    assert normalize.decimal(0.1) == Decimal("0.1")
    with pytest.raises(CellError, match="“一万”不是有效的金额"):
        normalize.decimal("一万")


def test_choices_accept_labels_values_and_short_forms_with_any_brackets():
    choices = Choices(LegalForm.choices, what="组织类型", aliases={"民办非企业单位": LegalForm.SOCIAL_SERVICE_INSTITUTION})
    # ASCII brackets, full-width (U+FF08, U+FF09) and a mix of the two.
    assert choices("社会服务机构(民办非企业单位)") == LegalForm.SOCIAL_SERVICE_INSTITUTION
    assert choices("社会服务机构\uFF08民办非企业单位\uFF09") == LegalForm.SOCIAL_SERVICE_INSTITUTION
    assert choices("社会服务机构\uFF08民办非企业单位)") == LegalForm.SOCIAL_SERVICE_INSTITUTION
    assert choices(" 民办非企业单位 ") == LegalForm.SOCIAL_SERVICE_INSTITUTION
    assert choices("social_group") == LegalForm.SOCIAL_GROUP
    assert choices("") is None
    with pytest.raises(CellError) as error:
        choices("协会")
    assert str(error.value) == (
        "“协会”不是有效的组织类型，可填：社会团体、社会服务机构（民办非企业单位）、基金会、社区社会组织（备案）。"
    )


def test_memoized_parsers_give_the_same_answers_and_errors():
    calls = []

    def parser(value):
        calls.append(value)
        return normalize.date(value)

    parse = normalize.memoized(parser)
    assert parse("2022/3/2") == parse("2022/3/2") == MARCH_2
    for _ in range(2):
        with pytest.raises(CellError, match="“2022-02-30”不存在"):
            parse("2022-02-30")
    assert calls == ["2022/3/2", "2022-02-30"]
