"""Admin pages: upload and preview, confirm, template downloads, past imports."""

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import access, runs
from .engine import STORED_ERRORS
from .forms import UploadForm
from .kinds import get_kind
from .spreadsheets import CONTENT_TYPES, template_bytes, template_file_name

RECENT_RUNS = 50
# Seconds between reloads of the preview page while its task runs (no script: a meta refresh).
REFRESH_SECONDS = 3


def _kind_or_404(name):
    try:
        return get_kind(name)
    except LookupError:
        raise Http404 from None


class ImportIndexView(WagtailAdminTemplateMixin, FormView):
    page_title = "批量导入"
    header_icon = "upload"
    template_name = "importer/index.html"
    form_class = UploadForm

    def dispatch(self, request, *args, **kwargs):
        self.kinds = access.importable_kinds(request.user)
        if not self.kinds:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "kinds": self.kinds}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        labels = {kind.name: kind.label for kind in self.kinds}
        runs = list(access.visible_runs(self.request.user)[:RECENT_RUNS])
        for run in runs:
            run.kind_label = labels.get(run.kind, run.kind)
        context.update(kinds=self.kinds, runs=runs)
        return context

    def form_valid(self, form):
        kind = get_kind(form.cleaned_data["kind"])
        upload = form.cleaned_data["file"]
        # The preview runs as a task (inline on the immediate backend); the page shows its
        # progress until it is done.
        run = runs.start_preview(kind=kind, file_name=upload.name, data=upload.read(),
                                 user=self.request.user)
        return redirect("importer:preview", run.pk)


class _RunMixin:
    def get_run(self):
        run = get_object_or_404(access.visible_runs(self.request.user), pk=self.kwargs["pk"])
        return run, _kind_or_404(run.kind)


class ImportPreviewView(_RunMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = "导入预览"
    header_icon = "upload"
    template_name = "importer/preview.html"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": reverse("importer:index"), "label": "批量导入"},
                {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run, kind = self.get_run()
        context.update(
            run=run, kind=kind, errors=run.errors, errors_cut=len(run.errors) >= STORED_ERRORS,
            stored_errors=STORED_ERRORS, refresh_seconds=REFRESH_SECONDS,
            # The run keeps the first STORED_CHANGES records; its counts are of all rows.
            changes=run.changes, changes_cut=len(run.changes) < run.created + run.updated,
            can_confirm=(runs.may_confirm(run) and run.user_id == self.request.user.pk
                         and access.may_import(self.request.user, kind)),
        )
        return context


class ImportConfirmView(_RunMixin, View):
    def post(self, request, pk):
        run, kind = self.get_run()
        if (run.user_id != request.user.pk or not access.may_import(request.user, kind)
                or not runs.confirm(run=run)):  # confirm: at most once, the file previewed
            raise PermissionDenied
        # Checked again as it is imported: the register may have changed since the preview.
        if run.in_progress:
            messages.info(request, f"已确认导入“{run.file_name}”\uff0c正在后台导入\uff0c"
                                   "完成后本页显示结果。")
        elif run.committed:
            messages.success(request, f"已导入“{run.file_name}”：新增{run.created}，"
                                      f"变更{run.updated}，未变{run.unchanged}。")
        elif run.errors and run.errors[0]["row"] is None and run.error_count == 1:
            messages.error(request, run.errors[0]["message"])
        else:
            messages.error(request, "导入时发现错误，未写入任何数据，请查看下面的错误并修改文件后重新上传。")
        return redirect("importer:preview", run.pk)


class TemplateDownloadView(View):
    def get(self, request, kind_name, extension):
        kind = _kind_or_404(kind_name)
        if extension not in CONTENT_TYPES:
            raise Http404
        if not access.may_import(request.user, kind):
            raise PermissionDenied
        return FileResponse(
            io.BytesIO(template_bytes(kind, extension)), as_attachment=True,
            filename=template_file_name(kind, extension), content_type=CONTENT_TYPES[extension],
        )
