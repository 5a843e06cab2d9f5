"""Staff pages: generate a draft, watch its progress, review it, publish it (after a
confirmation page), withdraw a published version (with a reason)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _, gettext_lazy
from django.views.generic import FormView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .forms import PublishForm, SummaryRequestForm, WithdrawForm
from .models import AnnualSummary
from .services import SummaryRequestError, publish_summary, request_summary, withdraw_summary


def _require(request, perm):
    if not request.user.has_perm(f"website.{perm}_annualsummary"):
        raise PermissionDenied


class SummaryListView(WagtailAdminTemplateMixin, FormView):
    page_title = gettext_lazy("年度报告")
    header_icon = "doc-full"
    template_name = "summaries/admin/index.html"
    form_class = SummaryRequestForm

    def dispatch(self, request, *args, **kwargs):
        _require(request, "view")
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summaries"] = AnnualSummary.objects.select_related(
            "town", "generated_by", "published_by", "withdrawn_by")[:200]
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
                                  language=form.cleaned_data["language"], user=self.request.user)
        if summary.state == AnnualSummary.State.FAILED:
            messages.error(self.request, _("%(summary)s：生成失败，%(message)s") % {
                "summary": summary, "message": summary.message})
        else:
            messages.success(self.request, _("%(summary)s：%(state)s") % {
                "summary": summary, "state": summary.get_state_display()})
        return redirect("summaries_admin:index")


class _SummaryFormView(WagtailAdminTemplateMixin, FormView):
    """A page about one version, with a form: the publish confirmation and the withdrawal."""

    header_icon = "doc-full"
    permission = "change"
    state = None  # the state the version must be in

    def dispatch(self, request, *args, **kwargs):
        _require(request, self.permission)
        self.summary = get_object_or_404(AnnualSummary.objects.select_related("town"), pk=kwargs["pk"])
        if self.summary.state != self.state:
            messages.error(request, self.wrong_state_message() % {
                "summary": self.summary, "state": self.summary.get_state_display()})
            return redirect("summaries_admin:index")
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": reverse("summaries_admin:index"), "label": _("年度报告")},
                {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(summary=self.summary, **kwargs)

    def act(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.act(form)
        except SummaryRequestError as error:
            form.add_error(None, error.messages)
            return self.form_invalid(form)
        return redirect("summaries_admin:index")


class SummaryPublishView(_SummaryFormView):
    """GET: what is about to be published, and a confirm button. POST: publish that file."""

    page_title = gettext_lazy("确认发布年度报告")
    template_name = "summaries/admin/publish.html"
    form_class = PublishForm
    state = AnnualSummary.State.DRAFT

    def wrong_state_message(self):
        return _("%(summary)s不是待审核的草稿（当前状态：%(state)s），不能发布。")

    def get_initial(self):
        return {"sha256": self.summary.sha256}

    def act(self, form):
        published = publish_summary(summary=self.summary, user=self.request.user,
                                    sha256=form.cleaned_data["sha256"])
        messages.success(self.request, _("已发布：%(summary)s") % {"summary": published})


class SummaryWithdrawView(_SummaryFormView):
    """GET: the withdrawal form. POST: withdraw the published version, with the reason."""

    page_title = gettext_lazy("撤回年度报告")
    template_name = "summaries/admin/withdraw.html"
    form_class = WithdrawForm
    state = AnnualSummary.State.PUBLISHED

    def wrong_state_message(self):
        return _("%(summary)s不是已发布的版本（当前状态：%(state)s），不能撤回。")

    def act(self, form):
        withdrawn = withdraw_summary(summary=self.summary, user=self.request.user,
                                     reason=form.cleaned_data["reason"])
        messages.success(self.request, _("已撤回：%(summary)s。公开列表中该版本标为已撤回，并显示撤回原因。")
                         % {"summary": withdrawn})


class SummaryFileView(View):
    """Staff download of any version, drafts included, for review."""

    def get(self, request, pk):
        _require(request, "view")
        summary = get_object_or_404(AnnualSummary, pk=pk)
        if not summary.file:
            raise Http404(_("该版本尚无PDF文件。"))
        return FileResponse(summary.file.open("rb"), as_attachment=False,
                            filename=summary.download_name, content_type="application/pdf")
