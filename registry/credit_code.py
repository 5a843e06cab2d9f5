"""Checks a unified social credit code (统一社会信用代码, GB 32100-2015).

The checksum and alphabet are python-stdnum's; the civil-affairs rules (1st character 5 for the
civil-affairs registration authority, 2nd character by legal form) are ours.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

CIVIL_AFFAIRS_AUTHORITY = "5"


def normalize(value):
    """Full-width to half-width, spaces and dashes out, upper case."""
    value = unicodedata.normalize("NFKC", value or "")
    return uscc.compact(value).upper()


# GB 32100-2015: 8 digits, then 10 characters of the code's alphabet; the 18th is a check
# character, from weights 3**i mod 31 over the first 17.
_WELL_FORMED = re.compile(f"[0-9]{{8}}[{uscc._alphabet}]{{10}}")
_VALUES = {char: n for n, char in enumerate(uscc._alphabet)}
_WEIGHTS = [pow(3, i, 31) for i in range(17)]


def _checks(code):
    """Whether a code already in normal form is valid: the common case of a bulk import, done
    without python-stdnum's per-character clean-up; any other code takes stdnum's path, which
    says what is wrong."""
    if _WELL_FORMED.fullmatch(code) is None:
        return False
    total = sum(_VALUES[char] * weight for char, weight in zip(code, _WEIGHTS))
    return uscc._alphabet[(31 - total % 31) % 31] == code[17]


def validate(value, *, legal_form_code=None):
    """Raise ValidationError (in Chinese) unless `value` is a valid code.

    `legal_form_code` is the 2nd character a civil-affairs registration of this legal form must have
    ("1" social group, "2" social service institution, "3" foundation); None skips those rules.
    """
    if value and _checks(value):
        code = value
    else:
        code = normalize(value)
        try:
            uscc.validate(code)
        except InvalidLength:
            raise ValidationError(
                "统一社会信用代码应为18位，实为%(n)d位。", code="uscc_length", params={"n": len(code)}
            ) from None
        except InvalidFormat:
            bad = _first_bad_character(code)
            raise ValidationError(
                "统一社会信用代码第%(pos)d位“%(char)s”不是有效字符（前8位为数字，其余不使用I、O、Z、S、V）。",
                code="uscc_format", params=bad,
            ) from None
        except InvalidChecksum:
            raise ValidationError(
                "统一社会信用代码校验位（第18位）不正确，应为“%(expected)s”，请核对是否录入有误。",
                code="uscc_checksum", params={"expected": uscc.calc_check_digit(code[:17])},
            ) from None
        except InvalidComponent:
            raise ValidationError(
                "统一社会信用代码第3至8位不是有效的行政区划代码。", code="uscc_component"
            ) from None
    if legal_form_code is None:
        return code
    if code[0] != CIVIL_AFFAIRS_AUTHORITY:
        raise ValidationError(
            "统一社会信用代码第1位应为“5”（民政部门登记），实为“%(char)s”。",
            code="uscc_authority", params={"char": code[0]},
        )
    if code[1] != legal_form_code:
        raise ValidationError(
            "统一社会信用代码第2位应为“%(expected)s”（与组织类型一致），实为“%(char)s”。",
            code="uscc_legal_form", params={"expected": legal_form_code, "char": code[1]},
        )
    return code


def _first_bad_character(code):
    # Positions 1-8 are digits (authority, kind, division code); 9-18 use the USCC alphabet.
    for pos, char in enumerate(code, start=1):
        if (pos <= 8 and not char.isdigit()) or char not in uscc._alphabet:
            return {"pos": pos, "char": char}
    return {"pos": 1, "char": code[:1]}


def make(*, legal_form_code, division_code, body):
    """Build a valid civil-affairs code from a 6-digit division code and a 9-character body.

    Used by the demo and scale data; real codes come from the bureau.
    """
    first17 = CIVIL_AFFAIRS_AUTHORITY + legal_form_code + division_code + body
    return first17 + uscc.calc_check_digit(first17)
