"""Staff pages: generate a draft, watch its progress, review it, publish it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .forms import SummaryRequestForm
from .models import AnnualSummary
from .services import SummaryRequestError, publish_summary, request_summary


def _require(request, perm):
    if not request.user.has_perm(f"website.{perm}_annualsummary"):
        raise PermissionDenied


class SummaryListView(WagtailAdminTemplateMixin, FormView):
    page_title = "年度报告"
    header_icon = "doc-full"
    template_name = "summaries/admin/index.html"
    form_class = SummaryRequestForm

    def dispatch(self, request, *args, **kwargs):
        _require(request, "view")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summaries"] = AnnualSummary.objects.select_related("town", "generated_by", "published_by")[:200]
        context["can_generate"] = self.request.user.has_perm("website.add_annualsummary")
        context["can_publish"] = self.request.user.has_perm("website.change_annualsummary")
        # Refresh the page while a summary is being made elsewhere (the database queue).
        context["in_progress"] = any(
            s.state in (AnnualSummary.State.QUEUED, AnnualSummary.State.RUNNING) for s in context["summaries"]
        )
        return context

    def form_valid(self, form):
        _require(self.request, "add")
        summary = request_summary(year=form.cleaned_data["year"], town=form.cleaned_data["town"],
                                  user=self.request.user)
        if summary.state == AnnualSummary.State.FAILED:
            messages.error(self.request, f"{summary}:{summary.message}")
        else:
            messages.success(self.request, f"{summary}:{summary.get_state_display()}")
        return redirect("summaries_admin:index")


class SummaryPublishView(View):
    def post(self, request, pk):
        _require(request, "change")
        summary = get_object_or_404(AnnualSummary, pk=pk)
        try:
            publish_summary(summary=summary, user=request.user)
        except SummaryRequestError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"已发布：{summary}")
        return redirect("summaries_admin:index")


class SummaryFileView(View):
    """Staff download of any version, drafts included, for review."""

    def get(self, request, pk):
        _require(request, "view")
        summary = get_object_or_404(AnnualSummary, pk=pk)
        if not summary.file:
            raise Http404("该版本尚无PDF文件。")
        return FileResponse(summary.file.open("rb"), as_attachment=False,
                            filename=summary.download_name, content_type="application/pdf")
