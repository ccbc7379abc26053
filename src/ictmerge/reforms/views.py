"""Reform register pages beyond the generic ones: the CSV import."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from ictmerge.core.history import acting_as
from ictmerge.core.scoping import may_change_reference
from ictmerge.engine.reform import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from ictmerge.reforms.forms import ReformImportForm
from ictmerge.reforms.models import Reform
from ictmerge.reforms.services import ReformImportError, ReformInfo, default_reform, import_csv


def reform_from(request: HttpRequest) -> Reform:
    """The reform asked for (?reform=CODE) or the default one."""
    code = request.GET.get("reform")
    reform = Reform.objects.filter(code=code).first() if code else default_reform()
    if reform is None:
        raise Http404("No reform is loaded.")
    return reform


class ReformImportView(LoginRequiredMixin, View):
    """Upload a succession CSV; every problem is listed and nothing is written."""

    def dispatch(self, request: HttpRequest, *args: object,
                 **kwargs: object) -> HttpResponseBase:
        if request.user.is_authenticated and not may_change_reference(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(ReformImportForm(), [])

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ReformImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(form, [], status=400)
        upload = form.cleaned_data["file"]
        info = ReformInfo(code=form.cleaned_data["code"], name=form.cleaned_data["name"],
                          country=form.cleaned_data["country"].upper(),
                          effective_date=form.cleaned_data["effective_date"])
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            return self._render(form, [f"{upload.name}: {_('the file is not UTF-8 text')}"], 400)
        try:
            with acting_as(request.user):
                reform = import_csv(io.StringIO(text), info, source=upload.name)
        except ReformImportError as error:
            problems = [f"{upload.name}: {p}" for p in error.problems]
            return self._render(form, problems, status=400)
        messages.success(request, _("Reform imported."))
        return HttpResponseRedirect(reform.get_absolute_url())

    def _render(self, form: ReformImportForm, problems: list[str], status: int = 200) -> HttpResponse:
        context = {"form": form, "problems": problems, "required": REQUIRED_COLUMNS,
                   "optional": OPTIONAL_COLUMNS}
        return render(self.request, "reforms/import.html", context, status=status)
