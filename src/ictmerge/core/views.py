"""Generic pages built from a resource: list, detail, create, edit, delete, export, history."""

from __future__ import annotations

from typing import Any

import django_filters
import django_tables2 as tables
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.defaultfilters import date as date_filter
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from ictmerge.core import scoping
from ictmerge.core.choices import JobStatus
from ictmerge.core.forms import resource_form
from ictmerge.core.history import (
    StaleEdit,
    VersionRequired,
    check_version,
    history_for,
    last_change,
    version_of,
)
from ictmerge.core.models import ChangeRecord
from ictmerge.core.pagecache import cached_part
from ictmerge.core.resources import REGISTRY, Resource

PAGE_SIZE = 50


def redirect_back(request: HttpRequest, default: str = "/") -> HttpResponseRedirect:
    """Back to the page the request came from (its Referer) if on this site, else default."""
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return HttpResponseRedirect(referer)
    return HttpResponseRedirect(default)


def resource_filterset(resource: Resource) -> type[django_filters.FilterSet]:
    """A filter set over the resource's filter fields, plus a free-text search `q`."""

    def search(queryset: Any, name: str, value: str) -> Any:
        condition = Q()
        for field in resource.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)

    attrs: dict[str, Any] = {}
    if resource.search_fields:
        attrs["q"] = django_filters.CharFilter(method=search, label=_("Search"))
    meta = type("Meta", (), {"model": resource.model, "fields": list(resource.filter_fields)})
    attrs["Meta"] = meta
    return type(
        f"{resource.model.__name__}FilterSet", (ScopedFilterSet,), attrs
    )


class ScopedFilterSet(django_filters.FilterSet):
    """Filter choices of related records limited to the user's scope, fetched in one query."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        for filter_ in self.filters.values():
            if isinstance(filter_, django_filters.ModelChoiceFilter
                          | django_filters.ModelMultipleChoiceFilter):
                model = filter_.queryset.model if filter_.queryset is not None else None
                if model is None:
                    continue
                # select_related() joins what the choices' names show; scope hides the rest.
                filter_.queryset = scoping.restrict_related(
                    model._default_manager.all(), user, "view").select_related()


class DateColumn(tables.DateColumn):
    """django-tables2's date column, formatted in Python: the same text, without compiling
    its one-line template again for every cell of every page."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.date_format = "SHORT_DATE_FORMAT"  # as tables.DateColumn(short=True)

    def render(self, value: Any, bound_column: Any) -> Any:
        """The date as `{{ value|date:"SHORT_DATE_FORMAT"|default:default }}` writes it."""
        return conditional_escape(date_filter(value, self.date_format)) or bound_column.default


def resource_table(resource: Resource) -> type[tables.Table]:
    """A table over the resource's list columns; the first column links to the record."""
    first, *_rest = resource.list_columns
    attrs: dict[str, Any] = {first: tables.Column(linkify=True)}
    for name in resource.list_columns:
        try:
            field = resource.model._meta.get_field(name)
        except Exception:  # nosec B112 # a column computed by the table, not a model field
            field = None
        if (name not in attrs and isinstance(field, models.DateField)
                and not isinstance(field, models.DateTimeField)):
            attrs[name] = DateColumn(verbose_name=capfirst(field.verbose_name))
        # A field shown in the reader's language (e.g. Task.display_title), sorted by the field.
        if isinstance(getattr(resource.model, f"display_{name}", None), property):
            attrs[name] = tables.Column(
                accessor=f"display_{name}", order_by=name, linkify=name == first,
                verbose_name=getattr(resource.model._meta.get_field(name), "verbose_name", name))
    meta = type(
        "Meta",
        (),
        {
            "model": resource.model,
            "fields": list(resource.list_columns),
            "attrs": {"class": "table"},
            "order_by_field": "sort",
        },
    )
    attrs["Meta"] = meta
    return type(f"{resource.model.__name__}Table", (tables.Table,), attrs)


def list_relations(resource: Resource) -> list[str]:
    """Foreign keys a list shows (so that one join replaces a query per row)."""
    related = list(resource.select_related)
    for name in resource.list_columns:
        try:
            field = resource.model._meta.get_field(name)
        except Exception:  # nosec B112 # a column computed by the table, not a model field
            continue
        if isinstance(field, models.ForeignKey) and name not in related:
            related.append(name)
    return related


class ResourceMixin(LoginRequiredMixin):
    """Holds the resource a page is about and the user's view of its records."""

    resource: Resource = None  # type: ignore[assignment]  # set by as_view(resource=...)
    request: HttpRequest

    def queryset(self, action: str = "view") -> Any:
        """The records of the resource this user may view or change."""
        queryset = self.resource.model.objects.restrict(  # type: ignore[attr-defined]
            self.request.user, action
        )
        related = list_relations(self.resource)
        if related:
            queryset = queryset.select_related(*related)
        return queryset.order_by(*self.resource.ordering)

    def get_record(self, pk: int) -> Any:
        """The record, or 404 when it does not exist or lies outside the user's scope."""
        return get_object_or_404(self.queryset("view"), pk=pk)

    def may_add(self) -> bool:
        """True when the user may create records of this resource."""
        user = self.request.user
        if not self.resource.scoped:
            return scoping.may_change_reference(user)
        return scoping.can_write_anything(user)

    def may_change(self, record: Any) -> bool:
        """True when the user may change or delete this record."""
        user = self.request.user
        if not self.resource.scoped:
            return scoping.may_change_reference(user)
        return scoping.may_change_municipality(user, record.scope_municipality_id())

    def base_context(self) -> dict[str, Any]:
        """Context every resource page has."""
        return {
            "resource": self.resource,
            "list_url": reverse(self.resource.url_name("list")),
            "add_url": reverse(self.resource.url_name("add")),
            "may_add": self.may_add(),
        }


def list_is_cacheable(resource: Resource) -> bool:
    """Whether a list's filters and table show tracked records only (the resource's model,
    and those its columns and filter choices name), so that the history's version counters
    change with everything it shows (core.pagecache)."""
    from django.core.exceptions import FieldDoesNotExist

    from ictmerge.core.models import TrackedModel

    shown: list[Any] = [resource.model]
    for name in (*resource.list_columns, *resource.filter_fields, *resource.select_related):
        try:
            field = resource.model._meta.get_field(name)
        except FieldDoesNotExist:  # a column computed by the table: it may read anything
            return False
        if field.is_relation:
            shown.append(field.related_model)
    return all(isinstance(model, type) and issubclass(model, TrackedModel) for model in shown)


def _ids(ids: set[int] | None) -> tuple[int, ...] | None:
    return None if ids is None else tuple(sorted(ids))


class ObjectListView(ResourceMixin, View):
    """A filtered, sorted, paginated table of a resource's records.

    The filters and the table are rendered once per user scope and query string while no
    tracked record changes (core.pagecache): rendering the table is most of the page's
    cost (about 40 ms of 60 for 50 devices).
    """

    def get(self, request: HttpRequest) -> HttpResponse:
        context = self.base_context() | {
            "export_url": reverse(self.resource.url_name("export")),
            "query": request.GET.urlencode(),
        }
        if self.resource.cache_list and list_is_cacheable(self.resource):
            visible, writable = scoping.scope(request.user)
            body = cached_part("list", (self.resource.slug, request.path, context["query"],
                                        _ids(visible), _ids(writable)), self.body)
        else:
            body = self.body()
        return render(request, "core/object_list.html", context | {"list_body": body})

    def body(self) -> SafeString:
        """The filters, the count and the table, as HTML (safe: rendered by a template)."""
        request = self.request
        filterset = resource_filterset(self.resource)(
            request.GET, queryset=self.queryset(), request=request
        )
        table = resource_table(self.resource)(filterset.qs)
        tables.RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
        if table.paginator.per_page > settings.ICTMERGE_MAX_PAGE_SIZE:  # ?per_page= too large
            table.paginate(page=table.page.number, per_page=settings.ICTMERGE_MAX_PAGE_SIZE)
        # No context processors: the part shows none of their values (render_table runs
        # them itself for the table's template).
        return render_to_string("core/_object_list_body.html", {
            "filterset": filterset, "table": table, "request": request})


class ObjectExportView(ResourceMixin, View):
    """The filtered list as CSV or XLSX (?format=xlsx), with natural values, not database ids."""

    def get(self, request: HttpRequest) -> HttpResponse:
        from ictmerge.core.exports import export_response

        filterset = resource_filterset(self.resource)(
            request.GET, queryset=self.queryset(), request=request
        )
        return export_response(self.resource, filterset.qs,
                               request.GET.get("format", "csv"))


def export_value(record: Any, field_name: str) -> Any:
    """A field's value for export: the related record's name for a foreign key."""
    value = getattr(record, field_name)
    if isinstance(value, models.Model):
        return str(value)
    if value is None:
        return ""
    return value


def detail_relations(resource: Resource) -> list[str]:
    """Foreign keys a record's page shows (joined, so that none costs a query of its own)."""
    related = list_relations(resource)
    for name in resource.fields:
        try:
            field = resource.model._meta.get_field(name)
        except Exception:  # nosec B112 # a name that is not a model field
            continue
        if isinstance(field, models.ForeignKey) and name not in related:
            related.append(name)
    return related


class ObjectDetailView(ResourceMixin, View):
    """One record: its fields, its history, and links to edit or delete it."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = get_object_or_404(
            self.queryset("view").select_related(*detail_relations(self.resource)), pk=pk)
        fields = []
        for name in self.resource.fields:
            field = self.resource.model._meta.get_field(name)
            value = getattr(record, name)
            if getattr(field, "choices", None):
                value = getattr(record, f"get_{name}_display")()
            elif isinstance(getattr(type(record), f"display_{name}", None), property):
                value = getattr(record, f"display_{name}")  # in the reader's language
            fields.append((field.verbose_name if isinstance(field, models.Field) else name,
                           value, field))
        context = self.base_context() | {
            "record": record,
            "fields": fields,
            "history": scoping.history_as_seen_by(history_for(record)[:20], request.user),
            "may_change": self.may_change(record),
            "edit_url": reverse(self.resource.url_name("edit"), args=[record.pk]),
            "delete_url": reverse(self.resource.url_name("delete"), args=[record.pk]),
            "history_url": reverse(self.resource.url_name("history"), args=[record.pk]),
        }
        return render(request, self.template_name(), context)

    def template_name(self) -> list[str]:
        """An app's own detail template first, then the generic one."""
        meta = self.resource.model._meta
        return [f"{meta.app_label}/{meta.model_name}_detail.html", "core/object_detail.html"]


class ObjectHistoryView(ResourceMixin, View):
    """Every change of one record."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = self.get_record(pk)
        context = self.base_context() | {
            "record": record,
            "history": scoping.history_as_seen_by(history_for(record), request.user)}
        return render(request, "core/object_history.html", context)


class ObjectEditView(ResourceMixin, View):
    """Create a record (no pk) or edit one."""

    def _record(self, pk: int | None) -> Any:
        if pk is None:
            if not self.may_add():
                raise PermissionDenied
            return self.resource.model()
        record = self.get_record(pk)
        if not self.may_change(record):
            raise PermissionDenied
        return record

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        record = self._record(pk)
        form = resource_form(self.resource, request.user)(instance=record)
        return self._render(form, record)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        record = self._record(pk)
        form = resource_form(self.resource, request.user)(
            request.POST, request.FILES, instance=record
        )
        status = 400
        if form.is_valid():
            candidate = form.save(commit=False)
            if self.resource.scoped and not scoping.may_change_municipality(
                request.user, candidate.scope_municipality_id()
            ):
                form.add_error(None, _("You may not write records of that municipality."))
            else:
                try:
                    with transaction.atomic():
                        if pk is not None:
                            check_version(self.resource.model, pk, request.POST.get("_version"))
                        candidate.save()
                        form.save_m2m()
                except StaleEdit:
                    status = 409
                    form.add_error(None, self._stale_message(pk))
                except VersionRequired:
                    status = 428
                    form.add_error(None, _(
                        "The form did not carry the version of the record it was made on, so "
                        "it could overwrite someone else's change. Check the values below and "
                        "save again."))
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, _("Saved."))
                    return HttpResponseRedirect(
                        reverse(self.resource.url_name("detail"), args=[candidate.pk])
                    )
        version = request.POST.get("_version") if status not in (409, 428) else None
        return self._render(form, record, status=status, version=version)

    def _stale_message(self, pk: int | None) -> str:
        current = self.resource.model._base_manager.filter(pk=pk).first()
        change = last_change(current) if current is not None else None
        if change is None:
            return _("Someone else changed this record since you opened it. Reload the page "
                     "to see their change; your edit was not saved.")
        return _("%(user)s changed this record at %(time)s, after you opened it. Reload the "
                 "page to see their change; your edit was not saved.") % {
            "user": change.user_name, "time": change.time.strftime("%Y-%m-%d %H:%M:%S")}

    def _render(self, form: Any, record: Any, status: int = 200,
                version: str | None = None) -> HttpResponse:
        if version is None and record.pk is not None:
            stored = self.resource.model._base_manager.filter(pk=record.pk).first()
            version = version_of(stored) if stored is not None else ""
        context = self.base_context() | {"form": form, "record": record, "version": version}
        return render(self.request, "core/object_edit.html", context, status=status)


class ObjectDeleteView(ResourceMixin, View):
    """Confirm and delete a record."""

    def _record(self, pk: int) -> Any:
        record = self.get_record(pk)
        if not self.may_change(record):
            raise PermissionDenied
        return record

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        context = self.base_context() | {"record": self._record(pk)}
        return render(request, "core/object_delete.html", context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = self._record(pk)
        try:
            with transaction.atomic():
                record.delete()
        except models.ProtectedError:
            messages.error(request, _("Other records still refer to this one."))
            return HttpResponseRedirect(reverse(self.resource.url_name("detail"), args=[pk]))
        messages.success(request, _("Deleted."))
        return HttpResponseRedirect(reverse(self.resource.url_name("list")))


class ChangeLogView(LoginRequiredMixin, View):
    """The change history of every record the user may see."""

    def get(self, request: HttpRequest) -> HttpResponse:
        changes = scoping.visible_changes(
            ChangeRecord.objects.select_related("content_type"), request.user)
        return render(request, "core/changelog.html", {"changes": changes[:200]})


class JobDetailView(LoginRequiredMixin, View):
    """A job's status and progress; the page refreshes itself until the job ends."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        from ictmerge.core.jobs import read_live_progress

        job = get_object_or_404(visible_jobs(request.user), pk=pk)
        job.progress, job.messages = read_live_progress(job)
        # A fan-out job's parts (one per county): how many stand where, and the ones not
        # done yet or failed (a country's plan has a thousand parts; the page shows those).
        counts = dict(job.children.order_by().values_list("status").annotate(n=models.Count("pk")))
        pending = list(job.children.exclude(status=JobStatus.SUCCEEDED).order_by("pk")[:100])
        for part in pending:
            part.progress, part.messages = read_live_progress(part)
        parts = [(status, label, counts.get(status, 0)) for status, label in JobStatus.choices]
        return render(request, "core/job_detail.html", {
            "job": job, "parts": parts if counts else [], "pending_parts": pending,
            "parts_total": sum(counts.values()),
            "parts_done": counts.get(JobStatus.SUCCEEDED, 0) + counts.get(JobStatus.FAILED, 0)})


class JobListView(LoginRequiredMixin, View):
    """The user's jobs (all jobs for an auditor)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        jobs = visible_jobs(request.user).select_related("user")[:100]
        return render(request, "core/job_list.html", {"jobs": jobs})


def visible_jobs(user: Any) -> Any:
    """Jobs a user may see (scoping.visible_jobs): their own; all for those who see all."""
    return scoping.visible_jobs(user)


def home_url(user: Any) -> str | None:
    """Where a user lands after signing in: a county lead, steward or viewer on the cockpit
    of their county (a steward's: the one their municipality goes into), an auditor or
    administrator on the national overview; None for a user with no role (the registers)."""
    from django.apps import apps

    from ictmerge.core.choices import Role

    membership = getattr(user, "membership", None) if user.is_authenticated else None
    if user.is_superuser or (membership is not None and membership.role == Role.AUDITOR):
        return reverse("national")
    municipality = membership.municipality if membership is not None else None
    if municipality is None:
        return None
    if municipality.stage != "new":
        succession = (apps.get_model("reforms", "Succession").objects
                      .filter(former=municipality).select_related("new__reform")
                      .order_by("new__name", "new_id").first())
        if succession is None:
            return None
        municipality = succession.new
    return reverse("county_cockpit", args=[municipality.reform.code, municipality.code])


class HomeView(LoginRequiredMixin, View):
    """The start page: the user's home by role (home_url), else the registers."""

    def get(self, request: HttpRequest) -> HttpResponse:
        target = home_url(request.user)
        if target is None:
            return RegistersView.as_view()(request)
        return HttpResponseRedirect(target)


class RegistersView(LoginRequiredMixin, TemplateView):
    """Every register the user may open, and the way to the national view and their county."""

    template_name = "core/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["resources"] = [r for r in REGISTRY.values() if r.menu_group is not None]
        membership = getattr(self.request.user, "membership", None)
        municipality = membership.municipality if membership else None
        context["user_county"] = municipality if municipality and municipality.stage == "new" \
            else None
        return context


class GlossaryPageView(LoginRequiredMixin, TemplateView):
    """The glossary of figures: name, definition, unit and the function computing each."""

    template_name = "core/glossary.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from ictmerge.core.glossary import glossary_json

        return super().get_context_data(**kwargs) | {"entries": glossary_json()}
