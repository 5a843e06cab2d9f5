import pytest
from django.core.exceptions import ValidationError

from registry import credit_code

VALID_GROUP = credit_code.make(legal_form_code="1", division_code="330421", body="MJ0000001")


def test_valid_code_passes_and_is_normalized():
    messy = " " + VALID_GROUP.lower().replace("5", "５", 1) + " "
    assert credit_code.validate(messy, legal_form_code="1") == VALID_GROUP


def test_mistyped_check_character_is_refused_in_chinese():
    wrong = VALID_GROUP[:-1] + ("0" if VALID_GROUP[-1] != "0" else "1")
    with pytest.raises(ValidationError) as e:
        credit_code.validate(wrong, legal_form_code="1")
    assert "校验位" in e.value.messages[0]


def test_wrong_length_says_how_many_characters():
    with pytest.raises(ValidationError) as e:
        credit_code.validate(VALID_GROUP[:17])
    assert "17位" in e.value.messages[0]


def test_letter_in_division_code_names_its_position():
    bad = VALID_GROUP[:4] + "A" + VALID_GROUP[5:]
    with pytest.raises(ValidationError) as e:
        credit_code.validate(bad)
    assert "第5位“A”" in e.value.messages[0]


def test_first_character_must_be_civil_affairs():
    enterprise = credit_code.make(legal_form_code="1", division_code="330421", body="MJ0000001")
    enterprise = "9" + enterprise[1:17]
    from stdnum.cn import uscc
    enterprise += uscc.calc_check_digit(enterprise)
    with pytest.raises(ValidationError) as e:
        credit_code.validate(enterprise, legal_form_code="1")
    assert e.value.messages == ["统一社会信用代码第1位应为“5”（民政部门登记），实为“9”。"]


def test_second_character_must_agree_with_legal_form():
    with pytest.raises(ValidationError) as e:
        credit_code.validate(VALID_GROUP, legal_form_code="3")
    assert e.value.messages == ["统一社会信用代码第2位应为“3”（与组织类型一致），实为“1”。"]


def test_quick_check_agrees_with_python_stdnum():
    """validate() passes well-formed codes without stdnum; both must say the same of any code."""
    import random

    from stdnum.cn import uscc

    rng = random.Random(32100)
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for _ in range(3000):
        first17 = "".join(rng.choice("0123456789") for _ in range(8)) + "".join(
            rng.choice(alphabet) for _ in range(9))
        for last in rng.sample(alphabet, 3) + [uscc.calc_check_digit(first17)]:
            code = first17 + last
            assert credit_code._checks(code) == uscc.is_valid(code), code
    assert not credit_code._checks(VALID_GROUP.lower())
    assert not credit_code._checks(VALID_GROUP[:17] + "I")
