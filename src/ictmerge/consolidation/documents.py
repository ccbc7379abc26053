"""The "servers" section of a county's ICT takeover plan, read from the stored scenarios."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from ictmerge.consolidation.choices import RunStatus
from ictmerge.consolidation.explain import bound_in_words, room_bound_in_words
from ictmerge.consolidation.models import Scenario
from ictmerge.consolidation.services import plan_of_record, scenarios_of, stored_result
from ictmerge.core.documents import (
    Section,
    SectionTable,
    local_number,
    not_yet_planned,
    section_title,
)
from ictmerge.core.explanations import joined_text
from ictmerge.core.providers import SECTION_PROVIDERS
from ictmerge.reforms.models import Municipality


def _eur(value: Any) -> int | None:
    return None if value is None else round(float(value))


def _arrow(before: Any, after: Any) -> str:
    return f"{'—' if before is None else before} → {'?' if after is None else after}"


def scenario_rows(scenarios: list[Scenario]) -> list[list[Any]]:
    """The scenarios considered, one row each, with their stored figures."""
    rows = []
    for s in scenarios:
        rows.append([
            s.name, _("chosen") if s.is_chosen else "", str(s.get_status_display()),
            f"{s.cpu_headroom_pct} % / {s.ram_headroom_pct} %", s.failover_hosts,
            str(s.host_model) if s.host_model_id else _("cheapest"),
            _arrow(s.servers_before, s.servers_after), s.lower_bound,
            _("yes") if s.proven_optimal else _("no") if s.proven_optimal is False else None,
            _arrow(s.rooms_before, s.rooms_after), _eur(s.annual_saving_eur), _eur(s.one_off_eur),
        ])
    return rows


def servers_sections(county: Municipality) -> list[Section]:
    """Hosts and rooms before → after, the scenarios considered and the plan's reasoning."""
    scenario = plan_of_record(county)
    considered = scenarios_of(county)
    chosen = next((s for s in considered if s.is_chosen), None)
    result = stored_result(scenario) if scenario is not None else None
    if scenario is None or result is None:
        section = not_yet_planned("servers")
        if chosen is not None and chosen.status == RunStatus.FAILED:
            section.paragraphs.append(_("The last run failed: %(error)s") % {
                "error": chosen.error})
        return [section]
    parameters = scenario.run_parameters or {}
    money = result["money"]
    which = (_("the chosen scenario") if scenario.is_chosen
             else _("the latest computed scenario (none is chosen yet)") if chosen is None
             else _("the latest computed scenario (the chosen one has no result yet)"))
    paragraphs = [
        _("Plan “%(name)s”, %(which)s, computed %(when)s: servers %(servers)s, server rooms "
          "%(rooms)s; annual cost %(before)s → %(after)s EUR, one-off %(one_off)s EUR.") % {
            "name": scenario.name, "which": which,
            "when": scenario.run_at.strftime("%Y-%m-%d") if scenario.run_at else "—",
            "servers": _arrow(result["servers_before"], result["servers_after"]),
            "rooms": _arrow(result["rooms_before"], result["rooms_after"]),
            "before": local_number(money['annual_before_eur']),
            "after": local_number(money['annual_after_eur']),
            "one_off": local_number(money['one_off_eur'])},
        bound_in_words(result),
        _("For comparison, the simple first-fit-decreasing method needs %(ffd)d hosts. Host "
          "model: %(model)s; method: %(method)s.") % {
            "ffd": result["ffd_hosts"], "model": result["host_model"],
            "method": result["packing_method"]},
        room_bound_in_words(result, parameters.get("horizon_years", scenario.horizon_years)),
        _("Constraints applied: CPU headroom %(cpu)s %%, RAM headroom %(ram)s %%, %(failover)s "
          "failover host(s), high-availability rooms at least %(km)s km apart, %(rules)d "
          "placement rule(s).") % {
            "cpu": parameters.get("cpu_headroom_pct", scenario.cpu_headroom_pct),
            "ram": parameters.get("ram_headroom_pct", scenario.ram_headroom_pct),
            "failover": parameters.get("failover_hosts", scenario.failover_hosts),
            "km": parameters.get("resilience_distance_km", scenario.resilience_distance_km),
            "rules": len(result["rules"])},
    ]
    paragraphs += [_("Rule relaxed to reach a plan: %(rule)s") % {"rule": r}
                   for r in result["relaxations"]]
    if scenario.is_stale:
        paragraphs.append(_("The scenario's parameters changed after this result was computed: "
                            "compute it again before the council decides."))
    if result.get("is_demo"):
        paragraphs.append(_("Planned from generated demo data, not real municipal records."))
    headers = [_("Scenario"), _("Chosen"), _("Status"), _("CPU / RAM headroom"),
               _("Failover hosts"), _("Host model"), _("Servers before → after"),
               _("Lower bound"), _("Proven optimal"), _("Rooms before → after"),
               _("Annual saving (EUR)"), _("One-off (EUR)")]
    rooms = SectionTable(
        title=_("Server rooms: kept, rented or closed"),
        headers=[_("Room"), _("Decision"), _("Hosts"), _("Annual cost (EUR)"), _("Reason")],
        rows=[[r["name"],
               (_("rented") if r["is_external"] else _("kept")) if r["kept"]
               else _("closed") if not r["is_external"] else _("not used"),
               r["hosts"], round(r["annual_cost_eur"]),
               joined_text(r["reason_explained"]) if r.get("reason_explained") else r["reason"]]
              for r in sorted(result["rooms"], key=lambda r: (not r["kept"], r["is_external"],
                                                              r["name"]))])
    hosts = SectionTable(
        title=_("Hosts after the merger"),
        headers=[_("Host"), _("Model"), _("Room"), _("Workloads"), _("CPU %"), _("RAM %"),
                 _("Failover")],
        rows=[[h["id"], h["model"] + (f": {h['reused_server']}" if h["reused_server"] else ""),
               h["room_name"], h["workloads"], h["cpu_pct"], h["ram_pct"],
               _("yes") if h["is_failover"] else ""] for h in result["hosts"]])
    scenarios = SectionTable(title=_("Scenarios considered"), headers=headers,
                             rows=scenario_rows(considered))
    return [Section(key="servers", title=section_title("servers"), paragraphs=paragraphs,
                    tables=[scenarios, rooms, hosts])]


def register_sections() -> None:
    """Add the servers section to the county document (called once at start-up)."""
    if servers_sections not in SECTION_PROVIDERS:
        SECTION_PROVIDERS.append(servers_sections)
