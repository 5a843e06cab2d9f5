"""HTML to PDF with WeasyPrint, in the active language."""

import re

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from .fonts import find_cjk_font

# The PDF's /Lang (BCP 47) for each site language.
_DOCUMENT_LANGUAGES = {"zh-hans": "zh-CN"}
_PLACEHOLDER = re.compile(r"%\((page|pages)\)s")


def document_language():
    language = translation.get_language() or "zh-hans"
    return _DOCUMENT_LANGUAGES.get(language, language)


def css_string(text):
    """`text` as a CSS string literal, safe inside a <style> element (no quote, backslash or
    '<' of a record's name can end the string or the element)."""
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\<>\n\r' else c for c in str(text))
    return f'"{escaped}"'


def page_footer(generated_at):
    """The footer as a CSS `content` value: the translated sentence with the page counters in it."""
    sentence = gettext("第 %(page)s 页 / 共 %(pages)s 页 · 生成于 %(time)s")
    sentence = sentence.replace("%(time)s", generated_at.strftime("%Y-%m-%d %H:%M"))
    parts = []
    for piece in _PLACEHOLDER.split(sentence):
        if piece in ("page", "pages"):
            parts.append(f"counter({piece})")
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts)


def render_html(*, template, context):
    font = find_cjk_font()  # before any rendering: fail loudly, not with empty boxes
    return render_to_string(template, {
        **context, "cjk_font": font, "document_language": document_language(),
        # CSS values, escaped for CSS by css_string (HTML escaping means nothing in <style>).
        "page_footer": mark_safe(page_footer(context["generated_at"])),
        "page_header": mark_safe(css_string(context.get("title", ""))),
    })


def html_to_pdf(html, *, base_url=None):
    """PDF bytes and page count of `html`."""
    import weasyprint  # imported late: the web process does not need it until a PDF is made

    document = weasyprint.HTML(string=html, base_url=base_url).render()
    return document.write_pdf(), len(document.pages)


def render_pdf(*, template, context, base_url=None):
    """Render `template` with `context` to PDF bytes; returns (bytes, page_count)."""
    return html_to_pdf(render_html(template=template, context=context), base_url=base_url)
