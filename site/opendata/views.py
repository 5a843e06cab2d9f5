"""Download views: any directory query as CSV, XLSX or JSON, and the whole register as a zip."""

from django.http import (
    FileResponse, Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse,
)
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _, pgettext
from django.views.decorators.http import require_safe

from website import page_cache
from website.models import OpenDataPage

from .columns import Context
from .query import BadQuery, organizations_matching, query_summary
from .ratelimit import rate_limited
from .register import register_zip_chunks
from .tables import ORGANIZATIONS, REGISTER_BY_NAME
from .writers import XLSX_MAX_ROWS, csv_chunks, json_chunks, xlsx_file

CSV_TYPE = "text/csv; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plain(text, *, status):
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


def _attach(response, filename):
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _dated(stem, extension):
    return f"{stem}-{timezone.localdate().isoformat()}.{extension}"


def _in_this_language(chunks):
    """A streamed body written in the request's language: its headers, labels and README are
    written while the server sends it, after the view has returned."""
    language = translation.get_language()

    def written():
        with translation.override(language):
            yield from chunks
    return written()


@require_safe
@rate_limited("query")
def organizations_download(request, extension):
    page_cache.depends_on(request, page_cache.tags.SITE, *page_cache.tags.ALL_CONTENT)
    try:
        organizations, as_of = organizations_matching(request.GET)
    except BadQuery as error:
        return HttpResponseBadRequest(error.message, content_type="text/plain; charset=utf-8")
    ctx = Context.for_request(request, as_of=as_of)
    filename = _dated(pgettext("download file name", "社会组织名录"), extension)
    records = ORGANIZATIONS.records(organizations)
    if extension == "csv":
        response = StreamingHttpResponse(
            _in_this_language(csv_chunks(ORGANIZATIONS, records, ctx)), content_type=CSV_TYPE)
    elif extension == "json":
        response = StreamingHttpResponse(
            _in_this_language(
                json_chunks(ORGANIZATIONS, records, ctx, query=query_summary(request.GET))),
            content_type=JSON_TYPE,
        )
    else:
        # A bounded count: it stops one row past what a sheet can hold.
        if organizations[: XLSX_MAX_ROWS + 1].count() > XLSX_MAX_ROWS:
            csv_url = request.path.removesuffix(".xlsx") + ".csv"
            if request.META.get("QUERY_STRING"):
                csv_url += "?" + request.META["QUERY_STRING"]
            return _plain(
                _("结果超过%(rows)s行，超出Excel工作表的行数上限（1,048,576行，含表头）。"
                  "请缩小查询范围，或改用CSV格式下载：%(url)s")
                % {"rows": f"{XLSX_MAX_ROWS:,}", "url": csv_url},
                status=400,
            )
        return FileResponse(
            xlsx_file(ORGANIZATIONS, records, ctx), as_attachment=True, filename=filename,
            content_type=XLSX_TYPE,
        )
    return _attach(response, filename)


@require_safe
@rate_limited("register")
def register_download(request):
    page_cache.depends_on(request, page_cache.tags.SITE, *page_cache.tags.ALL_CONTENT)
    ctx = Context.for_request(request)
    response = StreamingHttpResponse(
        _in_this_language(register_zip_chunks(ctx)), content_type="application/zip")
    stem = pgettext("download file name", "社会组织与社区基金-全量数据")
    return _attach(response, _dated(stem, "zip"))


@require_safe
@rate_limited("register")
def register_table_download(request, name):
    table = REGISTER_BY_NAME.get(name)
    if table is None:
        raise Http404(_("没有这个数据表。"))
    page_cache.depends_on(request, page_cache.tags.SITE, *page_cache.tags.ALL_CONTENT)
    ctx = Context.for_request(request)
    response = StreamingHttpResponse(
        _in_this_language(csv_chunks(table, table.records(), ctx)), content_type=CSV_TYPE)
    return _attach(response, _dated(table.name, "csv"))


def api_docs(request):
    """The API's human documentation is part of the open-data page, rendered by the site."""
    page = OpenDataPage.objects.live().first()
    if page is None:
        raise Http404(_("开放数据页面尚未发布。"))
    return redirect(page.url + "#api")
