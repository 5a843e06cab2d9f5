"""The public list of annual summaries (published and withdrawn) and their downloads, and an
organization's profile PDF, each in the language of the address it is asked for."""

from urllib.parse import quote

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from registry.lookup import organization_by_identifier
from registry.urls_public import organization_url

from .fonts import MissingFontError
from .profile import organization_profile_pdf
from .selectors import public_listing, public_summaries


def summary_list(request):
    return render(request, "summaries/list.html", {"languages": public_listing()})


def summary_download(request, pk):
    # A withdrawn version stays downloadable: the public record of what was published.
    summary = get_object_or_404(public_summaries(), pk=pk)
    # The public gets exactly the file that was published, or nothing.
    if not summary.file or summary.file_checksum() != summary.sha256:
        raise Http404(_("文件校验失败，请联系管理员。"))
    response = FileResponse(summary.file.open("rb"), as_attachment=True,
                            filename=summary.download_name, content_type="application/pdf")
    response["X-Content-SHA256"] = summary.sha256
    return response


def organization_profile(request, identifier):
    """An organization's public record as PDF, by its credit code or filing number, in the
    language the request is in (the address's language)."""
    organization = organization_by_identifier(identifier=identifier)
    if organization is None:
        raise Http404(_("未找到该社会组织"))
    try:
        pdf, _pages = organization_profile_pdf(organization=organization)
    except MissingFontError as error:
        # The server lacks the font (the annual summary's message says which): the page is still
        # there, the PDF is not, for now.
        return render(request, "summaries/pdf_unavailable.html", {
            "message": str(error),
            "record_url": organization_url(organization, request=request),
        }, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = "inline; filename*=UTF-8''" + quote(f"{organization.name}.pdf")
    return response
