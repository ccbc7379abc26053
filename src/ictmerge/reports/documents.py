"""Report documents: the national report and a county's ICT takeover plan, as PDF and XLSX.

The PDFs are rendered by WeasyPrint from templates that include the same partials as
the pages; the XLSX workbooks hold every table behind them. Figures that other apps
decide (servers, rooms, systems and governance after the merger; the decisions, action
plan, budget and risks of a county) come through the providers those apps register in
`core.providers`: what a provider gives is shown, and "not yet planned" otherwise, so the
documents fill themselves in. The sections' base (Section, table cells) is `core.documents`.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ictmerge.core import charts
from ictmerge.core.documents import (
    EXPECTED_SECTIONS,
    Section,
)
from ictmerge.core.glossary import glossary_json
from ictmerge.core.providers import SECTION_PROVIDERS
from ictmerge.inventory.choices import GovernanceModel, Lifecycle, RoomOperation
from ictmerge.inventory.figures import county_figures, former_figures
from ictmerge.inventory.ledger import held_before
from ictmerge.inventory.models import Contract, InformationSystem, Licence, ServerRoom
from ictmerge.reforms.counties import County, county_members
from ictmerge.reforms.models import Municipality, Reform
from ictmerge.reports.services import county_report, national_report
from ictmerge.review.choices import EntryStatus, Phase
from ictmerge.review.services import county_progress, national_progress


class DocumentFormat(StrEnum):
    """Formats a report document is produced in."""

    pdf = "pdf"
    xlsx = "xlsx"


CONTENT_TYPES = {
    DocumentFormat.pdf: "application/pdf",
    DocumentFormat.xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
LANGUAGES = ("lv", "en")

#: The "after" columns: a label and the keys a provider may give the figure under.
AFTER_COLUMNS: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    ("servers", gettext_lazy("Servers"), ("servers_after",)),
    ("server_rooms", gettext_lazy("Server rooms"), ("server_rooms_after",)),
    ("information_systems", gettext_lazy("Information systems"),
     ("information_systems_after",)),
    ("information_system_products", gettext_lazy("Distinct IS products"),
     ("information_system_products_after",)),
    ("software_products", gettext_lazy("Programs (software products)"),
     ("software_products_after",)),
    ("governance", gettext_lazy("Governance model"),
     ("governance_after", "governance_model_after")),
)


def system_products_before(reform: Reform) -> dict[int, int]:
    """Per new municipality, the distinct IS products (vendor and product) its records run."""
    members = county_members(reform)
    owner_counties: dict[int, list[int]] = {}
    for county, ids in members.items():
        for i in ids:
            owner_counties.setdefault(i, []).append(county)
    products: dict[int, set[tuple[str, str]]] = {county: set() for county in members}
    # By the municipality that held each system before the takeover (the handover log): a
    # split predecessor's systems count for each of its successors, before and after.

    rows = held_before(InformationSystem, list(owner_counties)).values_list(
        "held_by", "vendor", "product", "name").distinct()
    for municipality_id, vendor, product, name in rows:
        for county in owner_counties[municipality_id]:
            products[county].add((vendor.lower(), (product or name).lower()))
    return {county: len(found) for county, found in products.items()}


def after_value(after: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    """The first figure a provider gave under one of the keys, or None."""
    for key in keys:
        if after.get(key) is not None:
            return after[key]
    return None


def after_columns(after: Mapping[str, Any]) -> dict[str, Any]:
    """The "after" figure of every column; the governance model named, chosen or recommended."""
    values = {key: after_value(after, keys) for key, _label, keys in AFTER_COLUMNS}
    values["governance"] = governance_text(values["governance"],
                                           after.get("governance_after_chosen"))
    return values


def governance_text(code: str | None, chosen: bool | None) -> str | None:
    """The governance model's name, marked as chosen or only recommended."""
    if not code:
        return None
    label = str(GovernanceModel(code).label) if code in GovernanceModel.values else code
    return f"{label} ({_('chosen') if chosen else _('recommended')})"


# --- National ----------------------------------------------------------------------------


def national_context(reform: Reform, visible: set[int] | None = None) -> dict[str, Any]:
    """Everything the national document shows (and the XLSX holds)."""
    report = national_report(reform, visible)
    progress = national_progress(reform, visible)
    by_code = {c["code"]: c for c in progress["counties"]}
    questions = []
    ids = {c.id: c.code for c in _new_ids(reform)}
    system_products = {ids[k]: v for k, v in system_products_before(reform).items() if k in ids}
    for county in report["new"]:
        after = county.get("after", {})
        questions.append({
            "code": county["code"], "name": county["name"],
            "before": {"servers": county["servers"], "server_rooms": county["server_rooms"],
                       "information_systems": county["information_systems"],
                       "information_system_products": system_products.get(county["code"]),
                       "software_products": county["software_products"],
                       "governance": None},
            "after": after_columns(after),
            "progress": by_code.get(county["code"]),
        })
    return {
        "reform": reform, "report": report, "progress": progress,
        "chart": charts.histogram(report["share_histogram"], report["share_threshold_pct"]),
        "spend_meur": report["ict_spend_eur"] / 1_000_000,
        "questions": questions,
        "after_columns": [(key, label) for key, label, _keys in AFTER_COLUMNS],
        "progress_chart": charts.progress_bars(
            [(c["name"], c["overall_percent"] or 0.0) for c in progress["counties"]]),
        "generated": timezone.localtime(),
        **review_labels(),
    }


def review_labels() -> dict[str, Any]:
    """Phase and status labels the review partials need."""
    return {"phases": list(Phase.choices), "status_labels": dict(EntryStatus.choices)}


def _new_ids(reform: Reform) -> list[Municipality]:
    return list(Municipality.objects.filter(reform=reform, stage="new").only("pk", "code"))


# --- County ------------------------------------------------------------------------------


def county_risks(county: Municipality, predecessor_ids: list[int]) -> list[dict[str, Any]]:
    """Risks read from the records: what cannot pass, what ends, what is fragile.

    Records count for the municipality that held them before the takeover (the handover
    log), so the list reads the same before and after the acts. A predecessor split between
    successors is listed whole for each of them, before and after: every successor has to
    deal with what the split municipality cannot pass on, and the act's review list decides
    late which successor a record goes to.
    """
    effective = county.reform.effective_date
    soon = effective + dt.timedelta(days=183)
    ids = [*predecessor_ids, county.pk]
    checks = [
        (_("Licences that may not pass to the new municipality"),
         held_before(Licence, ids).filter(transferable=False).count(),
         _("buy or renegotiate before the reform date")),
        (_("Contracts that may not be assigned"),
         held_before(Contract, ids).filter(assignable=False).count(),
         _("renegotiate or end with notice")),
        (_("Contracts ending within six months of the reform date"),
         held_before(Contract, ids).filter(end_date__lte=soon,
                                           end_date__gte=effective - dt.timedelta(days=183))
         .count(),
         _("decide whether to renew, merge or end")),
        (_("Information systems at the end of their life"),
         held_before(InformationSystem, ids).filter(lifecycle=Lifecycle.END_OF_LIFE).count(),
         _("replace rather than migrate")),
        (_("Own server rooms without UPS or cooling"),
         held_before(ServerRoom, ids).filter(operation=RoomOperation.OWN)
         .filter(Q(has_ups=False) | Q(has_cooling=False)).count(),
         _("consolidate into a room that has both")),
        (_("Licences without proof of purchase"),
         held_before(Licence, ids).filter(proof="", proof_reference="").count(),
         _("find the invoice or agreement before the handover")),
    ]
    return [{"risk": str(r), "count": n, "response": str(a)} for r, n, a in checks if n]


def county_indicators(county: County, after: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The document's "before and after" rows: the county report's figures (the cockpit's,
    the API's and the CLI's), the distinct IS products, and the two sums of money."""
    report = county_report(county)
    products_before = system_products_before(county.reform).get(county.pk)
    rows: list[tuple[str, Any, Any, Any, str]] = [
        ("servers", _("Servers"), report["servers_before"], report["servers_after"], ""),
        ("server_rooms", _("Server rooms"), report["server_rooms_before"],
         report["server_rooms_after"], ""),
        ("information_systems", _("Information systems"), report["information_systems_before"],
         report["information_systems_after"], ""),
        ("information_system_products", _("Distinct IS products"), products_before,
         after_value(after, ("information_system_products_after",)), ""),
        ("software_products", _("Programs (software products)"),
         report["software_products_before"], report["software_products_after"], ""),
        ("governance", _("Governance model"), report["governance_before_label"],
         governance_text(report["governance_after"], report["governance_after_chosen"]), ""),
        ("one_off_eur", _("One-off cost"), None, report["one_off_eur"], "EUR"),
        ("annual_change_eur", _("Change in annual cost"), None, report["annual_change_eur"],
         _("EUR a year")),
    ]
    return [{"key": key, "label": str(label), "before": before, "after": after_figure,
             "unit": str(unit)} for key, label, before, after_figure, unit in rows]


def county_document_context(county: Municipality) -> dict[str, Any]:
    """Everything the county's takeover plan shows (and its XLSX holds)."""
    from ictmerge.reports.views import county_context

    predecessors = County.of(county).formers
    context = county_context(county, predecessors)
    figures = next(c for c in county_figures(county.reform, former_figures(county.reform),
                                             {county.pk}))
    indicators = county_indicators(County.of(county), figures.after)
    sections: dict[str, Section] = {}
    for provider in SECTION_PROVIDERS:
        for section in provider(county):
            sections[section.key] = section
    ordered = [sections.pop(key, Section(key=key, title=str(title)))
               for key, title in EXPECTED_SECTIONS]
    ordered += list(sections.values())
    for section in ordered:
        section.chart = charts.gantt(section.gantt, marker=section.gantt_marker,
                                     marker_label=_("reform date")) if section.gantt else None
    progress = county_progress(county)
    return {
        **context,
        "figures": figures, "indicators": indicators,
        "indicator_chart": charts.before_after_bars(
            [(i["label"], i["before"], i["after"]) for i in indicators
             if isinstance(i["before"], int)]),
        "sections": ordered, "risks": county_risks(county, [m.pk for m in predecessors]),
        "progress": progress,
        "phase_chart": charts.progress_bars(
            [(str(label), 100 * (progress.phases.get(value) or 0.0))
             for value, label in review_labels()["phases"]]),
        "generated": timezone.localtime(),
        "glossary": glossary_json(),
        **review_labels(),
    }


# --- Rendering ---------------------------------------------------------------------------


def render_pdf(template: str, context: dict[str, Any], lang: str) -> bytes:
    """HTML from the template, in the language, printed to PDF by WeasyPrint."""
    from weasyprint import HTML

    with translation.override(lang):
        html = render_to_string(template, {**context, "LANGUAGE_CODE": lang})
    return HTML(string=html).write_pdf()


def national_document(reform: Reform, fmt: str, lang: str = "lv",
                      visible: set[int] | None = None) -> bytes:
    """The national report as PDF or XLSX bytes."""
    with translation.override(lang):
        context = national_context(reform, visible)
        if fmt == DocumentFormat.xlsx:
            from ictmerge.reports.workbooks import national_workbook

            return _save(national_workbook(context))
    return render_pdf("reports/national_document.html", context, lang)


def county_document(county: Municipality, fmt: str, lang: str = "lv") -> bytes:
    """A county's ICT takeover plan as PDF or XLSX bytes."""
    with translation.override(lang):
        context = county_document_context(county)
        if fmt == DocumentFormat.xlsx:
            from ictmerge.reports.workbooks import county_workbook

            return _save(county_workbook(context))
    return render_pdf("reports/county_document.html", context, lang)


def _save(workbook: Any) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def document_filename(kind: str, code: str, fmt: str, lang: str) -> str:
    """A file name that says what the document is."""
    return f"ictmerge-{kind}-{code}-{lang}.{fmt}"


def as_number(value: Any) -> Any:
    """Decimals as floats for a workbook cell; other values unchanged."""
    return float(value) if isinstance(value, Decimal) else value
