"""Import pages: upload, run results with every problem, rejected rows, templates, duplicates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from ictmerge.imports.duplicates import MergeError, find_duplicates, merge_devices
from ictmerge.imports.forms import ImportForm, MergeForm
from ictmerge.imports.services import (
    ImportTypeError,
    problem_lines,
    rejected_rows_csv,
    start_import,
    template_file,
    visible_runs,
)
from ictmerge.imports.templates import documentation, templates


class ImportView(LoginRequiredMixin, View):
    """Upload a file; small files are imported at once, large ones by a background job."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(ImportForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(form, status=400)
        upload = form.cleaned_data["file"]
        try:
            run, job = start_import(
                upload.read(), upload.name, form.cleaned_data["import_type"], user=request.user,
                municipality=form.cleaned_data["municipality"] or None,
                dry_run=form.cleaned_data["dry_run"], valid_only=form.cleaned_data["valid_only"])
        except ImportTypeError as error:
            form.add_error("import_type", str(error))
            return self._render(form, status=400)
        if job is not None:
            messages.info(request, _("The file is large: it is imported in the background."))
            return HttpResponseRedirect(job.get_absolute_url())
        return HttpResponseRedirect(run.get_absolute_url())

    def _render(self, form: ImportForm, status: int = 200) -> HttpResponse:
        context = {"form": form, "templates": list(templates().values()),
                   "runs": visible_runs(self.request.user)[:20]}
        return render(self.request, "imports/import.html", context, status=status)


class ImportRunView(LoginRequiredMixin, View):
    """What one import did: counts and every problem as `file, row, column: message`."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = get_object_or_404(visible_runs(request.user), pk=pk)
        context = {"run": run, "problems": list(problem_lines(run)),
                   "more": run.problem_count - len(run.problems)}
        status = 200
        return render(request, "imports/run.html", context, status=status)


class RejectedRowsView(LoginRequiredMixin, View):
    """The rejected rows of a run with their problems, as CSV."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = get_object_or_404(visible_runs(request.user), pk=pk)
        response = HttpResponse("\ufeff" + rejected_rows_csv(run),
                                content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="rejected-{run.pk}.csv"'
        return response


class TemplateDownloadView(LoginRequiredMixin, View):
    """An empty template of a record type, CSV or XLSX."""

    def get(self, request: HttpRequest, slug: str, file_format: str) -> HttpResponse:
        tpl = templates().get(slug)
        if tpl is None or file_format not in ("csv", "xlsx"):
            raise Http404
        content_type = "text/csv; charset=utf-8" if file_format == "csv" else \
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(template_file(tpl, file_format), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{slug}.{file_format}"'
        return response


class TemplateListView(LoginRequiredMixin, View):
    """Every template with its documented columns."""

    def get(self, request: HttpRequest) -> HttpResponse:
        docs = [(tpl, documentation(tpl)) for tpl in templates().values()]
        return render(request, "imports/templates.html", {"docs": docs})


class DuplicatesView(LoginRequiredMixin, View):
    """Devices in two or more predecessors' inventories, with a merge action."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "imports/duplicates.html",
                      {"groups": find_duplicates(request.user)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = MergeForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose the device to keep and the one to merge."))
            return HttpResponseRedirect(reverse("import_duplicates"))
        try:
            kept = merge_devices(form.cleaned_data["keep"], form.cleaned_data["remove"],
                                 request.user)
        except MergeError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse("import_duplicates"))
        messages.success(request, _("Merged into %(name)s.") % {"name": kept.name})
        return HttpResponseRedirect(kept.get_absolute_url())


