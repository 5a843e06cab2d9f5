"""Chinese text uses full-width punctuation (GB/T 15834), in every string a user can see.

The scan covers the templates, the message catalogue and the string literals of the apps'
Python code. A Chinese sentence with an ASCII , : ; ( ) ! ? fails; codes, dates, regular
expressions and English text do not. The characters are written as escapes here on purpose:
an editor that quietly turns full-width punctuation into ASCII cannot make this test pass.
"""

import io
import re
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("site", "registry", "funds", "incubator")

HAN = "\u3400-\u4dbf\u4e00-\u9fff"
# Ideographs and the full-width marks that stand in Chinese text beside them.
CHINESE = (f"[{HAN}\u2026\u3001\u3002\u300a-\u300f\u201c\u201d"
           "\uff08\uff09\uff0c\uff1a\uff1b\uff01\uff1f]")
ASCII_MARKS = "[,:;()!?]"
# A placeholder ({name}, %(count)s) stands for a word of unknown script: it counts as Chinese
# when real Chinese stands on the mark's other side ("{what},请只填数字"), not between two
# placeholders ("{key}:{value}").
SLOT = "\ue000"
PLACEHOLDER = re.compile(r"\{\{[^{}]*\}\}|\{(?!%)[^{}%]*\}|%\([a-z_]+\)[sdf]|%[sd]")
SIDE = f"(?:{CHINESE}|{SLOT})"
BETWEEN = re.compile(f"({SIDE})[ \\t]*{ASCII_MARKS}+[ \\t]*({SIDE})")
WRONG = [
    re.compile(f"[{HAN}]\\("),  # 工作簿(.xlsx)
    re.compile(f"\\)[{HAN}]"),  # (cursor)无效
]
# A mark between Chinese and a digit or a Latin letter is wrong in a Chinese sentence, not in
# English text that quotes Chinese words ("registered or filed: 登记 / 备案, from the form").
BESIDE_LATIN = [
    re.compile(f"[{HAN}][,:;!?][ \\t]*[0-9A-Za-z]"),  # 必填;18位, 执行,CSV
    re.compile(f"[0-9A-Za-z][,:;!?][ \\t]*[{HAN}]"),  # 第1位为5,第2位, HTTP 429,并
]
# A sentence cut before its next part, or ending at a quote or a tag: "结果:" <a …>
ENDING = re.compile(f"[{HAN}\u201d{SLOT}][,:;!?](?=$|[\"'<])")


def faults(text):
    """The stretches of `text` where an ASCII mark sits inside Chinese."""
    text = PLACEHOLDER.sub(SLOT, text)
    found = []
    for line in text.splitlines():
        found.extend(m.group(0) for m in BETWEEN.finditer(line)
                     if SLOT not in (m.group(1), m.group(2)) or re.search(f"[{HAN}]", m.group(0)))
        for pattern in WRONG:
            found.extend(m.group(0) for m in pattern.finditer(line))
        if len(re.findall(f"[{HAN}]", line)) > len(re.findall("[A-Za-z]", line)):
            for pattern in BESIDE_LATIN:
                found.extend(m.group(0) for m in pattern.finditer(line))
        if re.search(f"[{HAN}]", line):
            found.extend(m.group(0) for m in ENDING.finditer(line))
    return found


def test_the_rule_itself():
    assert faults("\u6f14\u793a\u6570\u636e:\u672c\u7ad9")  # 演示数据:本站
    assert faults("\u8bf7\u5199\u4f5c(2022-03-02)")  # 请写作(2022-03-02)
    assert faults("\u4e0d\u662f\u6709\u6548\u7684{what},\u8bf7")  # {what},请
    assert faults("\u65b0\u589e%(n)s,")  # 新增%(n)s, at the end of a part
    assert faults("\u5fc5\u586b;18\u4f4d")  # 必填;18位
    assert faults("\u8d85\u51fa\u65f6\u8fd4\u56de HTTP 429,\u5e76\u5728")  # 超出时返回 HTTP 429,并在
    assert not faults("\u6f14\u793a\u6570\u636e\uff1a\u672c\u7ad9\uff0c\u4ec5\u7528\u4e8e\u6f14\u793a")
    assert not faults("2022-03-02, 12:30 (UTC)")
    assert not faults("Registered (\u767b\u8bb0), filed")
    assert not faults("registered or filed: \u767b\u8bb0 / \u5907\u6848, from the legal form")
    assert not faults("\u7edf\u4e00\u793e\u4f1a\u4fe1\u7528\u4ee3\u7801 91330421MA2B3C4D5E")


def _python_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _is_docstring(tokens, i):
    before = [t for t in tokens[:i] if t.type not in (tokenize.NL, tokenize.COMMENT)]
    after = [t for t in tokens[i + 1:i + 3] if t.type not in (tokenize.NL, tokenize.COMMENT)]
    starts_statement = not before or before[-1].type in (
        tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)
    ends_statement = not after or after[0].type in (tokenize.NEWLINE, tokenize.ENDMARKER)
    return starts_statement and ends_statement


def python_strings(path):
    """(line, text) of each user-facing string literal: not regular expressions (raw strings),
    not English docstrings. A Chinese docstring is shown (the API's operation descriptions)."""
    tokens = list(tokenize.generate_tokens(io.StringIO(path.read_text()).readline))
    for i, token in enumerate(tokens):
        if token.type != tokenize.STRING:
            continue
        prefix = re.match(r"[A-Za-z]*", token.string).group(0).lower()
        if "r" in prefix:
            continue
        body = token.string[len(prefix):].strip("\"'")
        if _is_docstring(tokens, i) and re.match(r"\s*[A-Za-z`]", body):
            continue
        yield token.start[0], body


def test_python_message_strings_use_full_width_punctuation():
    wrong = [f"{path.relative_to(ROOT)}:{line}: {fault}"
             for path in _python_files()
             for line, body in python_strings(path)
             for fault in faults(body)]
    assert not wrong, "\n".join(wrong)


def _template_files():
    folders = [ROOT / "templates", *(ROOT / app / "templates" for app in APPS)]
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.suffix in (".html", ".txt", ".xml"):
                    yield path


def test_templates_use_full_width_punctuation():
    wrong = [f"{path.relative_to(ROOT)}: {fault}"
             for path in _template_files()
             for fault in faults(path.read_text())]
    assert list(_template_files())
    assert not wrong, "\n".join(wrong)


def catalogue_msgids(path):
    """Every msgid of a .po file, its continuation lines joined."""
    ids, current = [], None
    for line in path.read_text().splitlines():
        if line.startswith(("msgid ", "msgid_plural ")):
            if current is not None:
                ids.append(current)
            current = line.split(" ", 1)[1].strip('"')
        elif line.startswith('"') and current is not None:
            current += line.strip('"')
        else:
            if current is not None:
                ids.append(current)
            current = None
    if current is not None:
        ids.append(current)
    return [msgid for msgid in ids if msgid]


@pytest.mark.parametrize("catalogue", sorted(ROOT.glob("locale/*/LC_MESSAGES/django.po")),
                         ids=lambda path: path.parts[-3])
def test_the_message_catalogue_uses_full_width_punctuation(catalogue):
    msgids = catalogue_msgids(catalogue)
    assert len(msgids) > 100
    wrong = [f"{msgid!r}: {fault}" for msgid in msgids for fault in faults(msgid)]
    assert not wrong, "\n".join(wrong)
