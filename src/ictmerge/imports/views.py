"""Import pages: upload, run results with every problem, rejected rows, templates, duplicates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from ictmerge.core.views import redirect_back
from ictmerge.imports.duplicates import (
    MAX_ID,
    MergeError,
    find_duplicates,
    merge_devices,
    merge_selected,
)
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

#: Groups of duplicates a page shows (each a few rows; a page stays short).
DUPLICATE_GROUPS_PER_PAGE = 25


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
    """Devices in two or more predecessors' inventories, a page of groups at a time, filtered
    by kind and searched by value or device name, merged one pair or many at once."""

    def get(self, request: HttpRequest) -> HttpResponse:
        groups = find_duplicates(request.user)
        kinds = sorted({g.kind for g in groups})
        kind = request.GET.get("kind", "")
        query = request.GET.get("q", "").strip().casefold()
        if kind:
            groups = [g for g in groups if g.kind == kind]
        if query:
            groups = [g for g in groups if query in g.value.casefold()
                      or any(query in d.name.casefold() for d in g.devices)]
        page = Paginator(groups, DUPLICATE_GROUPS_PER_PAGE).get_page(request.GET.get("page"))
        filters = request.GET.copy()
        filters.pop("page", None)
        return render(request, "imports/duplicates.html", {
            "groups": page.object_list, "page": page, "kinds": kinds, "kind": kind,
            "q": request.GET.get("q", ""), "filters": filters.urlencode(),
            "total": len(groups)})

    def post(self, request: HttpRequest) -> HttpResponse:
        if "merge" in request.POST:
            return self._merge_selected(request)
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

    def _merge_selected(self, request: HttpRequest) -> HttpResponse:
        """Merge every selected pair ("keep:remove"), all or nothing."""
        pairs: list[tuple[int, int]] = []
        for value in request.POST.getlist("merge"):
            keep, _sep, remove = value.partition(":")
            if not (keep.isdigit() and remove.isdigit()) or max(int(keep), int(remove)) > MAX_ID:
                messages.error(request, _("Choose the device to keep and the one to merge."))
                return HttpResponseRedirect(reverse("import_duplicates"))
            pairs.append((int(keep), int(remove)))
        try:
            kept = merge_selected(pairs, request.user)
        except MergeError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, ngettext("%(count)d device merged.",
                                               "%(count)d devices merged.", len(kept))
                             % {"count": len(kept)})
        return redirect_back(request, reverse("import_duplicates"))


