"""Cell values as people type them into Excel, turned into clean Python values.

Free text keeps its Chinese punctuation: only full-width letters, digits and spaces are made
half-width, because NFKC would also turn the full-width brackets of a name such as
"嘉善县某某协会(筹)" into ASCII ones and make an unchanged record look changed. Codes, numbers,
dates and the labels we look up are compared after full NFKC.
"""

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import translation

from website.opendata.writers import FORMULA_TRIGGERS


class CellError(ValueError):
    """A cell that cannot be read; the message is shown to the user as it is."""


# Full-width ASCII letters and digits (U+FF10..) and the ideographic space, to half-width.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)}
_HALF_WIDTH.update({code: code - 0xFEE0 for code in range(0xFF21, 0xFF3B)})
_HALF_WIDTH.update({code: code - 0xFEE0 for code in range(0xFF41, 0xFF5B)})
_HALF_WIDTH.update({0x3000: " ", 0x00A0: " ", 0x200B: None, 0x200C: None, 0x200D: None,
                    0xFEFF: None, 0x2060: None})
_SPACES = re.compile(r"[ \t\f\v]+")
_ANY_WHITESPACE = re.compile(r"\s+")


def cell_text(value):
    """Any cell value as text, without the artefacts of spreadsheets (2.0 for 2, None)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    value = str(value)
    # Our exports put a ' before text a spreadsheet would run as a formula (a phone "+86…"):
    # read back, the quote goes, so an exported file imports with no change.
    if value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


def text(value):
    """One line of text: half-width letters, digits and spaces; whitespace runs become one space."""
    raw = cell_text(value).translate(_HALF_WIDTH)
    return _ANY_WHITESPACE.sub(" ", raw).strip()


def compatible_text(value):
    """Text where every full-width form is a typing accident (a phone number): NFKC, then text."""
    return text(unicodedata.normalize("NFKC", cell_text(value)))


def multiline_text(value):
    """Text that may span lines (业务范围, 说明): each line trimmed, blank edges dropped."""
    raw = cell_text(value).translate(_HALF_WIDTH).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in raw.split("\n")]
    return "\n".join(lines).strip("\n")


def same_text(saved, value):
    """Whether a saved text (typed in the admin, say, with a full-width digit or a double space)
    reads as `value` once normalized: then the saved form is kept, and an exported record
    imported back changes nothing."""
    if saved == value:
        return True
    if not isinstance(saved, str):
        return False
    return value in (text(saved), multiline_text(saved), compatible_text(saved))


def key(value):
    """The form under which labels and names are compared: NFKC, no whitespace at all."""
    return _ANY_WHITESPACE.sub("", unicodedata.normalize("NFKC", cell_text(value)))


def code(value):
    """An identifier (credit code, filing number): NFKC, no whitespace, upper case."""
    return key(value).upper()


_DASHES = re.compile(r"[-‐‑‒–—―−]")


def credit_code(value):
    """A credit code as registry.credit_code.normalize makes it (NFKC, no spaces or dashes,
    upper case), without going through python-stdnum: this runs on every row."""
    return _DASHES.sub("", code(value))


# Written as escapes: editors turn full-width punctuation into ASCII without a word. Besides
# U+3001, U+FF1B, U+FF0C and their ASCII forms: the small and half-width forms some input methods
# give (U+FE50, U+FE51, U+FE54, U+FF64) and every kind of line break.
_SEPARATOR_CHARACTERS = "\u3001\uFF1B\uFF0C;,\uFE50\uFE51\uFE54\uFF64\n\r\u2028\u2029"
_SEPARATORS = re.compile(f"[{_SEPARATOR_CHARACTERS}]+")
_OPENING, _CLOSING = "(\uFF08", ")\uFF09"
# How a column's help (the template's notes, docs/import.md) says it: 用顿号（、）、分号（；）、
# 逗号（，）或换行分隔. The ASCII forms are accepted without being offered.
MULTI_VALUE_HELP = ("\u7528\u987f\u53f7\uFF08\u3001\uFF09\u3001\u5206\u53f7\uFF08\uFF1B\uFF09\u3001"
                    "\u9017\u53f7\uFF08\uFF0C\uFF09\u6216\u6362\u884c\u5206\u9694")


def split_multi(value):
    """Several names in one cell, separated by U+3001, U+FF1B, U+FF0C, ASCII ; and , or line
    breaks; duplicates dropped. A separator inside brackets (ASCII or U+FF08/U+FF09) is part of
    the name: "法律服务\uFF08调解\u3001援助\uFF09" is one name."""
    raw = cell_text(value).translate(_HALF_WIDTH)
    parts = _split_outside_brackets(raw) if _has_bracket(raw) else _SEPARATORS.split(raw)
    items = []
    for part in parts:
        part = _ANY_WHITESPACE.sub(" ", part).strip()
        if part and part not in items:
            items.append(part)
    return items


def _has_bracket(raw):
    return any(mark in raw for mark in _OPENING)


def _split_outside_brackets(raw):
    parts, current, depth = [], [], 0
    for character in raw:
        if character in _OPENING:
            depth += 1
        elif character in _CLOSING and depth:
            depth -= 1
        elif depth == 0 and character in _SEPARATOR_CHARACTERS:
            parts.append("".join(current))
            current = []
            continue
        current.append(character)
    parts.append("".join(current))
    if depth:  # a bracket left open: it encloses nothing, split as if it were not there
        return _SEPARATORS.split(raw)
    return parts


# A cell that repeats its column's name before the value, as text copied from a registration
# certificate does (业务主管单位, a U+FF1A colon, the department): U+FF1A or an ASCII colon, with
# any spaces around it.
_LABEL_COLON = re.compile("[ \t\u3000]*[:\uFF1A][ \t\u3000]*")


def without_label(value, labels):
    """`value` without a leading "<label>\uFF1A" for one of `labels` (the column's header and
    its aliases); `value` itself when it has none. Only the column's own name is taken off: a
    value cannot start with it and a colon."""
    for label in labels:
        if value.startswith(label):
            match = _LABEL_COLON.match(value, len(label))
            if match:
                return value[match.end():]
    return value


# Excel's 1900 date system counts days from 1899-12-30 (it thinks 1900 was a leap year).
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_EXCEL_MAX_SERIAL = 2958465  # 9999-12-31
_DATE_PATTERNS = [
    re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
]
_TIME_SUFFIX = re.compile(r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
# As text, only a five-digit serial (1927 to 2173) is taken: "2022" alone is not a date.
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")


def date(value):
    """A date from a date cell, an Excel serial or text: 2022-03-02, 2022/3/2, 2022.3.2,
    2022年3月2日, 20220302. Returns None for an empty cell."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_serial(value, shown=cell_text(value))
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:  # the common case, as the export writes it
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    shown = text(value)
    if not shown:
        return None
    normalized = unicodedata.normalize("NFKC", shown).strip()
    for pattern in _DATE_PATTERNS:
        match = re.fullmatch(pattern.pattern + _TIME_SUFFIX.pattern, normalized)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return datetime.date(year, month, day)
            except ValueError:
                raise CellError(f"日期“{shown}”不存在，请核对年、月、日。") from None
    if _SERIAL.fullmatch(normalized):
        return _from_serial(float(normalized), shown=shown)
    raise CellError(f"“{shown}”不是有效的日期，请写作2022-03-02、2022/3/2或2022年3月2日。")


def _from_serial(number, *, shown):
    if not 1 <= number <= _EXCEL_MAX_SERIAL:
        raise CellError(f"“{shown}”不是有效的日期，请写作2022-03-02、2022/3/2或2022年3月2日。")
    return _EXCEL_EPOCH + datetime.timedelta(days=int(number))


def integer(value, *, what="数字", suffixes=()):
    """A whole number (a year: 2021, 2021.0, "2021年度", "２０２１"). None for an empty cell."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer():
            return int(value)
        raise CellError(f"“{cell_text(value)}”不是有效的{what}。")
    shown = text(value)
    if not shown:
        return None
    normalized = key(value)
    for suffix in suffixes:
        normalized = normalized.removesuffix(suffix)
    if re.fullmatch(r"\d+(?:\.0+)?", normalized):
        return int(float(normalized))
    raise CellError(f"“{shown}”不是有效的{what}。")


def decimal(value, *, what="金额"):
    """An amount: 12000, 12,000.50, ¥12000, 12000元. None for an empty cell."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CellError(f"“{cell_text(value)}”不是有效的{what}。")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # Round through the shortest repr: 0.1 + 0.2 typed in Excel is stored as a binary float.
        return Decimal(repr(value))
    shown = text(value)
    normalized = key(value).replace(",", "").removeprefix("¥").removeprefix("¥").removesuffix("元")
    if not normalized:
        return None
    try:
        number = Decimal(normalized)
    except InvalidOperation:
        raise CellError(f"“{shown}”不是有效的{what}，请只填数字（单位：元）。") from None
    if not number.is_finite():
        raise CellError(f"“{shown}”不是有效的{what}，请只填数字（单位：元）。")
    return number


def memoized(parser, *, size=10_000):
    """`parser` remembering its answers for the cell values it has seen: a file names the same
    few towns, legal forms and departments on every row."""
    answers = {}

    def parse(value):
        try:
            answer = answers.get(value)
        except TypeError:  # an unhashable cell value
            return parser(value)
        if answer is None:
            try:
                answer = (True, parser(value))
            except CellError as e:
                answer = (False, str(e))
            if len(answers) < size:
                answers[value] = answer
        if answer[0]:
            return answer[1]
        raise CellError(answer[1])

    return parse


def listed_labels(choices):
    """A choices class's labels as an import template lists them: in Chinese, joined by 、."""
    with translation.override(settings.LANGUAGE_CODE):
        return "\u3001".join(str(label) for label in choices.labels)


class Choices:
    """Labels a user may type for a choice field, mapped to the stored value.

    Each choice answers to its stored value, its label and any aliases given; all compared after
    `key()`, so "社会服务机构(民办非企业单位)" matches whatever brackets the user typed.
    """

    def __init__(self, choices, *, aliases=None, what):
        self.what = what
        # Labels are translatable: the spreadsheets are matched against the Chinese ones, whatever
        # language the admin is shown in.
        with translation.override(settings.LANGUAGE_CODE):
            choices = [(value, str(label)) for value, label in choices]
        self.labels = [label for _value, label in choices]
        self._values = {}
        for value, label in choices:
            self._values[key(value)] = value
            self._values[key(label)] = value
        for alias, value in (aliases or {}).items():
            self._values[key(alias)] = value

    def __call__(self, value):
        """The stored value for a cell, None for an empty cell."""
        normalized = key(value)
        if not normalized:
            return None
        try:
            return self._values[normalized]
        except KeyError:
            raise CellError(
                f"“{text(value)}”不是有效的{self.what}，可填：{'、'.join(self.labels)}。"
            ) from None
