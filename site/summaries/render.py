"""HTML to PDF with WeasyPrint."""

from django.template.loader import render_to_string

from .fonts import find_cjk_font


def render_pdf(*, template, context, base_url=None):
    """Render `template` with `context` to PDF bytes; returns (bytes, page_count)."""
    font = find_cjk_font()  # before any rendering: fail loudly, not with empty boxes
    import weasyprint  # imported late: the web process does not need it until a PDF is made

    html = render_to_string(template, {**context, "cjk_font": font})
    document = weasyprint.HTML(string=html, base_url=base_url).render()
    return document.write_pdf(), len(document.pages)
