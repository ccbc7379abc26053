"""The national picture as open data: a Frictionless Data Package with DCAT-AP metadata.

Four CSV tables (the reform's totals, the former municipalities, the new municipalities and
who went into whom) with `datapackage.json` (a Table Schema per file, primary and foreign
keys, licence CC BY 4.0, sources) and `dcat.jsonld` (a dcat:Dataset and one
dcat:Distribution per file) for a national open-data portal. Every figure is read from the
functions the national view and the county cockpit use (`national_report`, `county_report`,
`inventory.figures.former_figures`), so the package shows the numbers of the pages.

Nothing below one municipality is published: no users, no device names, serial numbers or
MAC addresses, no record of any kind; only counts and sums per municipality.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ictmerge.engine.spreadsheets import safe_text
from ictmerge.inventory.figures import former_figures
from ictmerge.inventory.models import IctFinance
from ictmerge.reforms.choices import Stage
from ictmerge.reforms.counties import counties_by_id, successions_from
from ictmerge.reforms.models import Municipality, Reform
from ictmerge.reports.choices import AnswerState
from ictmerge.reports.services import county_report, national_report

#: The licence of the package (SPDX identifier, as the Data Package spec names it).
LICENCE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
           "title": "Creative Commons Attribution 4.0 International"}
#: The file names of the package, also the name of the zip the API returns.
DESCRIPTOR = "datapackage.json"
DCAT = "dcat.jsonld"

Row = dict[str, Any]


@dataclass(frozen=True)
class Column:
    """A column of a published table: its Table Schema name, type and description."""

    name: str
    type: str
    description: str
    required: bool = False
    minimum: int | None = None
    enum: tuple[str, ...] = ()

    def field(self) -> dict[str, Any]:
        """The Table Schema field descriptor."""
        field: dict[str, Any] = {"name": self.name, "type": self.type,
                                 "description": self.description}
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if self.enum:
            constraints["enum"] = list(self.enum)
        if constraints:
            field["constraints"] = constraints
        return field


def _counts(scope: str) -> tuple[Column, ...]:
    return (
        Column("computers", "integer", f"Computers (desktops, laptops, thin clients) {scope}.",
               True, 0),
        Column("servers", "integer", f"Physical servers {scope} (virtual machines not counted).",
               True, 0),
        Column("server_rooms", "integer", f"Server rooms {scope}.", True, 0),
        Column("information_systems", "integer", f"Information systems {scope}.", True, 0),
        Column("software_products", "integer",
               f"Distinct software products installed {scope}.", True, 0),
    )


def _spend(scope: str, kind: str) -> tuple[Column, ...]:
    return (
        Column("ict_spend_eur", kind,
               f"ICT spend in euros in the latest year reported {scope} (empty: not reported)."),
        Column("total_expenditure_eur", kind,
               f"Total expenditure in euros in the same year {scope}."),
        Column("ict_spend_share_pct", "number",
               "ICT spend as a percentage of total expenditure (the audit's threshold is "
               "0.75 %)."),
    )


def _range(name: str, what: str) -> tuple[Column, ...]:
    return (
        Column(f"{name}_low_eur", "number", f"{what}, low end of the range, in euros."),
        Column(f"{name}_eur", "number", f"{what}, expected, in euros."),
        Column(f"{name}_high_eur", "number", f"{what}, high end of the range, in euros."),
    )


STATES = tuple(AnswerState.values)

NATIONAL_COLUMNS = (
    Column("reform_code", "string", "Code of the reform.", True),
    Column("reform_name", "string", "Name of the reform.", True),
    Column("effective_date", "date", "Date the new municipalities came into being.", True),
    Column("demo_data", "boolean", "True when the figures are generated demo data, not real "
                                   "municipal figures.", True),
    Column("former_municipalities", "integer", "Municipalities before the reform.", True, 0),
    Column("former_municipalities_surveyed", "integer",
           "Former municipalities with survey figures.", True, 0),
    Column("new_municipalities", "integer", "Municipalities after the reform.", True, 0),
    Column("new_municipalities_surveyed", "integer",
           "New municipalities with at least one surveyed predecessor.", True, 0),
    *_counts("of all former municipalities")[:4],
    Column("ict_spend_eur", "number", "ICT spend in euros of the municipalities reporting it.",
           True),
    Column("municipalities_reporting_spend", "integer",
           "Former municipalities that reported their ICT spend.", True, 0),
    Column("municipalities_at_or_below_0_75_pct", "integer",
           "Former municipalities whose ICT spend is at most 0.75 % of their expenditure.",
           True, 0),
    Column("median_share_pct", "number",
           "Median ICT spend share of expenditure, in percent, over those reporting."),
    Column("counties_planned", "integer", "New municipalities with a plan of record.", True, 0),
    Column("baseline_eur", "number",
           "Today's recorded annual ICT cost of the new municipalities planned, in euros."),
    *_range("one_off", "One-off cost of the plans of record summed"),
    *_range("annual_change", "Change in annual cost of the plans of record summed"),
)

FORMER_COLUMNS = (
    Column("code", "string", "Code of the former municipality (ATVK where published).", True),
    Column("name", "string", "Name of the former municipality.", True),
    Column("surveyed", "boolean", "True when the municipality has survey figures.", True),
    Column("demo_data", "boolean", "True when its figures are generated demo data.", True),
    *_counts("before the reform"),
    *_spend("before the reform, as recorded", "number"),
    Column("governance_model", "string",
           "How the municipality governed its ICT before the reform (centralised, "
           "semi_centralised, decentralised, shared_service, outsourced; empty: unknown)."),
)

NEW_COLUMNS = (
    Column("code", "string", "Code of the new municipality.", True),
    Column("name", "string", "Name of the new municipality.", True),
    Column("predecessors", "integer", "Former municipalities (or parts) that went into it.",
           True, 0),
    Column("surveyed", "boolean", "True when at least one predecessor has survey figures.",
           True),
    Column("demo_data", "boolean", "True when its predecessors' figures are generated demo "
                                   "data.", True),
    *_counts("before the reform: the predecessors summed, a split one by its share"),
    *_spend("of the predecessors summed, a split one by its share, rounded to the euro",
            "integer"),
    Column("governance_before", "string",
           "The predecessors' ICT governance model (that of the largest ICT team)."),
    Column("servers_after", "integer", "Physical servers after the plan of record (empty: "
                                       "not yet planned).", minimum=0),
    Column("servers_state", "string", "State of the servers answer.", True, enum=STATES),
    Column("server_rooms_after", "integer", "Server rooms after the plan of record.",
           minimum=0),
    Column("server_rooms_state", "string", "State of the server rooms answer.", True,
           enum=STATES),
    Column("information_systems_after", "integer",
           "Information systems after the plan of record.", minimum=0),
    Column("information_systems_state", "string", "State of the information systems answer.",
           True, enum=STATES),
    Column("software_products_after", "integer",
           "Software products after the plan of record.", minimum=0),
    Column("software_products_state", "string", "State of the software products answer.",
           True, enum=STATES),
    Column("governance_after", "string", "ICT governance model after the reform."),
    Column("governance_state", "string", "State of the governance answer.", True,
           enum=STATES),
    *_range("one_off", "One-off cost of the plan of record"),
    *_range("annual_change", "Change in annual cost of the plan of record"),
    Column("one_off_share_of_ict_spend", "number",
           "The plan's one-off cost as a share (fraction) of today's annual ICT spend."),
    Column("annual_change_share_of_ict_spend", "number",
           "The plan's change in annual cost as a share (fraction) of today's ICT spend."),
    Column("payback_years", "number", "Years until the plan's savings repay its one-off cost."),
)

SUCCESSION_COLUMNS = (
    Column("former_code", "string", "Code of the former municipality.", True),
    Column("new_code", "string", "Code of the new municipality it (or a part of it) went into.",
           True),
    Column("part", "string", "The part of a split former municipality (\"whole\": all of it).",
           True),
    Column("share", "number", "Share of the former municipality's figures counted in the new "
                              "one (1 for a whole municipality).", True, 0),
)


@dataclass(frozen=True)
class Table:
    """A published table: its resource name, title, columns and keys."""

    name: str
    title: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (field, resource, field)

    @property
    def path(self) -> str:
        """The CSV file's name in the package."""
        return f"{self.name}.csv"


TABLES = (
    Table("national", "The reform's totals", NATIONAL_COLUMNS, ("reform_code",)),
    Table("former_municipalities", "Former municipalities before the reform", FORMER_COLUMNS,
          ("code",)),
    Table("new_municipalities", "New municipalities before and after the reform", NEW_COLUMNS,
          ("code",)),
    Table("successions", "Which former municipality went into which new one",
          SUCCESSION_COLUMNS, ("former_code", "new_code"),
          (("former_code", "former_municipalities", "code"),
           ("new_code", "new_municipalities", "code"))),
)


def open_data_rows(reform: Reform) -> dict[str, list[Row]]:
    """The rows of every table of the package, by table name."""
    summary = national_report(reform)
    formers = former_figures(reform)
    by_former = successions_from(reform=reform)
    demo_news: set[int] = {part.new_id for former_id, parts in by_former.items()
                           for part in parts if formers[former_id].is_demo}
    county_of = {county.code: county for county in counties_by_id(
        Municipality.objects.filter(reform=reform, stage=Stage.NEW)).values()}
    money = summary["money"]
    national: Row = {
        "reform_code": reform.code, "reform_name": reform.name,
        "effective_date": reform.effective_date, "demo_data": summary["demo_data"],
        **{key: summary[key] for key in (
            "former_municipalities", "former_municipalities_surveyed", "new_municipalities",
            "new_municipalities_surveyed", "computers", "servers", "server_rooms",
            "information_systems", "ict_spend_eur", "municipalities_reporting_spend",
            "municipalities_at_or_below_0_75_pct", "median_share_pct")},
        "counties_planned": money["counties_planned"], "baseline_eur": money["baseline_eur"],
        **_range_values("one_off", money["one_off_eur"]),
        **_range_values("annual_change", money["annual_change_eur"]),
    }
    former_rows = [{
        "code": f.code, "name": f.name, "surveyed": f.surveyed, "demo_data": f.is_demo,
        "computers": f.computers, "servers": f.servers, "server_rooms": f.server_rooms,
        "information_systems": f.information_systems,
        "software_products": len(f.software_products),
        "ict_spend_eur": f.ict_spend_eur, "total_expenditure_eur": f.total_expenditure_eur,
        "ict_spend_share_pct": f.share_pct.quantize(Decimal("0.001"))
        if f.share_pct is not None else None,
        "governance_model": f.governance_model or None,
    } for f in sorted(formers.values(), key=lambda f: (f.name, f.code))]
    new_rows = []
    for row in summary["new"]:
        county = county_of[row["code"]]
        cockpit = county_report(county, row)
        after = row["after"]
        new_rows.append({
            "code": row["code"], "name": row["name"], "predecessors": len(row["predecessors"]),
            "surveyed": row["surveyed"], "demo_data": county.pk in demo_news,
            **{name: row[name] for name in (
                "computers", "servers", "server_rooms", "information_systems",
                "software_products")},
            "ict_spend_eur": row["ict_spend_eur"],
            "total_expenditure_eur": row["total_expenditure_eur"],
            "ict_spend_share_pct": row["share_pct"],
            "governance_before": cockpit["governance_before"],
            **{f"{answer}_{suffix}": cockpit[f"{answer}_{suffix}"]  # type: ignore[literal-required]
               for answer in ("servers", "server_rooms", "information_systems",
                              "software_products", "governance")
               for suffix in ("after", "state")},
            **_range_values("one_off", cockpit["one_off_range_eur"],
                            after.get("one_off_cost_eur")),
            **_range_values("annual_change", cockpit["annual_change_range_eur"],
                            after.get("annual_cost_change_eur")),
            "one_off_share_of_ict_spend": row["one_off_share_of_ict_spend"],
            "annual_change_share_of_ict_spend": row["annual_change_share_of_ict_spend"],
            "payback_years": cockpit["payback_years"],
        })
    codes = {f.id: f.code for f in formers.values()}
    succession_rows = sorted(({
        "former_code": codes[former_id], "new_code": part.new.code, "part": part.part or "whole",
        "share": part.share,
    } for former_id, parts in by_former.items() for part in parts),
        key=lambda r: (r["former_code"], r["new_code"]))
    return {"national": [national], "former_municipalities": former_rows,
            "new_municipalities": new_rows, "successions": succession_rows}


def _range_values(name: str, values: Any, expected: float | None = None) -> Row:
    """A range's three columns; without a range, the expected value alone (or empty)."""
    if values is None:
        return {f"{name}_low_eur": None, f"{name}_eur": expected, f"{name}_high_eur": None}
    return {f"{name}_low_eur": values["low"], f"{name}_eur": values["expected"],
            f"{name}_high_eur": values["high"]}


def _cell(value: Any) -> str:
    """A value as the Table Schema reads it: empty for null, true/false, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float | Decimal):
        return str(value)
    return safe_text(str(value))  # a name from an imported register may start like a formula


def _csv(table: Table, rows: list[Row]) -> bytes:
    names = [c.name for c in table.columns]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([_cell(row.get(name)) for name in names])
    return out.getvalue().encode("utf-8")


def _in_both_languages(text: Callable[[], str]) -> dict[str, str]:
    """A text in Latvian and in English (metadata carries both)."""
    texts = {}
    for code in ("lv", "en"):
        with translation.override(code):
            texts[code] = text()
    return texts


def _sources(reform: Reform, demo: bool) -> list[dict[str, str]]:
    sources = [{"title": f"{reform.name}: the reform's published register of municipalities "
                         f"and successions ({reform.source})".strip()}]
    if demo:
        sources.append({"title": "Generated demo data (ictmerge demo load): the inventories, "
                                 "ICT spend and plans are NOT real municipal figures"})
    else:
        sources.append({"title": "The municipalities' inventories, ICT spend and plans as "
                                 "recorded in ictmerge"})
    return sources


def _title() -> str:
    return _("ICT of the municipalities before and after the administrative reform")


def _description() -> str:
    return _("Per former and per new municipality: computers, servers, server rooms, "
             "information systems and software products, ICT spend and its share of "
             "expenditure, the answers before and after the reform and the plans' one-off "
             "cost and change in annual cost. No personal data: nothing below one "
             "municipality.")


def _temporal(reform: Reform) -> tuple[date, date]:
    """The period the figures describe: the finance years reported, up to the reform."""
    years = list(IctFinance.objects.filter(municipality__reform=reform).values_list(
        "year", flat=True).distinct())
    start = date(min(years), 1, 1) if years else reform.effective_date
    end = max(date(max(years), 12, 31), reform.effective_date) if years \
        else reform.effective_date
    return start, end


def package_files(reform: Reform) -> dict[str, bytes]:
    """The package's files by name: the CSV tables, `datapackage.json` and `dcat.jsonld`."""
    rows = open_data_rows(reform)
    demo = bool(rows["national"][0]["demo_data"])
    files = {table.path: _csv(table, rows[table.name]) for table in TABLES}
    title, description = _in_both_languages(_title), _in_both_languages(_description)
    name = f"ictmerge-{reform.code}-national".lower()
    created = timezone.now().replace(microsecond=0)
    start, end = _temporal(reform)
    descriptor: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": name,
        "title": title["en"] + (" (DEMO)" if demo else ""),
        "description": description["en"],
        "version": created.strftime("%Y.%m.%d"),
        "created": created.isoformat(),
        "keywords": ["ICT", "municipalities", "administrative reform", reform.country],
        "licenses": [LICENCE],
        "sources": _sources(reform, demo),
        "resources": [{
            "name": table.name, "path": table.path, "title": table.title,
            "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "bytes": len(files[table.path]),
            "hash": f"sha256:{hashlib.sha256(files[table.path]).hexdigest()}",
            "licenses": [LICENCE],
            "schema": {
                "fields": [c.field() for c in table.columns],
                "primaryKey": list(table.primary_key),
                **({"foreignKeys": [{"fields": field, "reference": {
                    "resource": resource, "fields": target}}
                    for field, resource, target in table.foreign_keys]}
                   if table.foreign_keys else {}),
            },
        } for table in TABLES],
    }
    files[DESCRIPTOR] = json.dumps(descriptor, ensure_ascii=False, indent=2).encode("utf-8")
    files[DCAT] = json.dumps(dcat_metadata(reform, files, title, description, demo,
                                           (start, end), created.isoformat()),
                             ensure_ascii=False, indent=2).encode("utf-8")
    return files


def dcat_metadata(reform: Reform, files: dict[str, bytes], title: dict[str, str],
                  description: dict[str, str], demo: bool, period: tuple[date, date],
                  created: str) -> dict[str, Any]:
    """DCAT-AP metadata (JSON-LD) of the package: a dcat:Dataset and its distributions.

    Distribution URLs are relative: they resolve against where `dcat.jsonld` is published,
    beside the files.
    """
    eu = "http://publications.europa.eu/resource/authority/"
    media = {".csv": ("CSV", "text/csv"), ".json": ("JSON", "application/json")}
    distributions = []
    for path, content in files.items():
        file_type, media_type = media[Path(path).suffix]
        distributions.append({
            "@id": f"#{path}", "@type": "dcat:Distribution",
            "dct:title": path,
            "dcat:accessURL": {"@id": path}, "dcat:downloadURL": {"@id": path},
            "dct:format": {"@id": f"{eu}file-type/{file_type}"},
            "dcat:mediaType": {"@id": f"https://www.iana.org/assignments/media-types/"
                                      f"{media_type}"},
            "dcat:byteSize": {"@value": str(len(content)), "@type": "xsd:nonNegativeInteger"},
            "spdx:checksum": {"@type": "spdx:Checksum",
                              "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
                              "spdx:checksumValue": hashlib.sha256(content).hexdigest()},
            "dct:license": {"@id": LICENCE["path"]},
            **({"dct:conformsTo": {"@id": "https://specs.frictionlessdata.io/data-package/"}}
               if path == DESCRIPTOR else {}),
        })
    publisher = settings.OPEN_DATA_PUBLISHER
    provenance = " ".join(s["title"] for s in _sources(reform, demo))
    dataset = {
        "@id": "#dataset", "@type": "dcat:Dataset",
        "dct:identifier": f"ictmerge-{reform.code}-national",
        "dct:title": [{"@value": text, "@language": code} for code, text in title.items()],
        "dct:description": [{"@value": text, "@language": code}
                            for code, text in description.items()],
        "dcat:keyword": [{"@value": word, "@language": "en"}
                         for word in ("ICT", "municipalities", "administrative reform")],
        "dcat:theme": {"@id": f"{eu}data-theme/GOVE"},
        "dct:language": [{"@id": f"{eu}language/LAV"}, {"@id": f"{eu}language/ENG"}],
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": publisher},
        "dct:temporal": {"@type": "dct:PeriodOfTime",
                         "dcat:startDate": {"@value": period[0].isoformat(),
                                            "@type": "xsd:date"},
                         "dcat:endDate": {"@value": period[1].isoformat(),
                                          "@type": "xsd:date"}},
        "dct:issued": {"@value": created, "@type": "xsd:dateTime"},
        "dct:modified": {"@value": created, "@type": "xsd:dateTime"},
        "dct:accessRights": {"@id": f"{eu}access-right/PUBLIC"},
        "dct:provenance": {"@type": "dct:ProvenanceStatement", "rdfs:label": provenance},
        "dcat:distribution": [{"@id": d["@id"]} for d in distributions],
    }
    country = {"LV": "LVA", "EE": "EST", "LT": "LTU"}.get(reform.country.upper())
    if country:
        dataset["dct:spatial"] = {"@id": f"{eu}country/{country}"}
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/", "xsd": "http://www.w3.org/2001/XMLSchema#",
            "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "spdx": "http://spdx.org/rdf/terms#",
        },
        "@graph": [dataset, *distributions],
    }


def write_package(reform: Reform, directory: Path) -> list[Path]:
    """Write the package into a directory (made if missing); the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in package_files(reform).items():
        target = directory / name
        target.write_bytes(content)
        written.append(target)
    return written


def package_zip(reform: Reform) -> bytes:
    """The package as one zip (the API's download)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in package_files(reform).items():
            archive.writestr(name, content)
    return out.getvalue()
