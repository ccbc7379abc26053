"""The account plan and network plan of a new municipality (services for page, API and CLI).

Employee lists: an imported list of a predecessor (our template, a directory export or a
Snipe-IT user export) when given; otherwise, for a predecessor whose inventory is generated
demo data, a generated demo list (one employee per computer, seed DEMO_STAFF_SEED), labelled
as generated. A predecessor with neither has no list, and the plan says so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import Count

from ictmerge.engine.planning.network import NetSite, NetworkPlan, demo_ranges, plan_network
from ictmerge.engine.planning.staff import (
    AccountAction,
    AccountPlan,
    Employee,
    generate_employees,
    plan_accounts,
)
from ictmerge.inventory.choices import DeviceKind
from ictmerge.inventory.ledger import held_before
from ictmerge.inventory.models import Device, ServerRoom
from ictmerge.inventory.models import Site as SiteRecord
from ictmerge.planning.payloads import AccountsPlan
from ictmerge.reforms.counties import County
from ictmerge.reforms.models import Municipality

#: The seed of the generated demo employee lists and address ranges.
DEMO_STAFF_SEED = 1
#: Employees who also work for a neighbouring predecessor (demo only; assumption 1 in 50).
SHARED_SHARE = 50


@dataclass
class StaffList:
    """One predecessor's employees and where they come from."""

    former: Municipality
    employees: list[Employee]
    basis: str  # "imported", "generated" or "none"


@dataclass
class CountyAccounts:
    """Everything the accounts page, API and CLI show."""

    county: Municipality
    domain: str
    lists: list[StaffList]
    plan: AccountPlan
    network: NetworkPlan
    network_basis: dict[str, str] = field(default_factory=dict)

    @property
    def is_demo(self) -> bool:
        return any(s.basis == "generated" for s in self.lists)

    @property
    def employees(self) -> int:
        """Accounts to create or merge: one per active employee."""
        return self.plan.count(AccountAction.CREATE) + self.plan.count(AccountAction.MERGE)


def _formers(county: Municipality) -> list[Municipality]:
    return sorted(County.of(county).formers, key=lambda m: m.code)


def domain_for(county: Municipality) -> str:
    """The action plan's e-mail domain, else the proposed one."""
    from ictmerge.planning.decisions import email_domain_for
    from ictmerge.planning.models import ActionPlan

    plan = ActionPlan.of(county)
    return (plan.email_domain if plan and plan.email_domain else email_domain_for(county))


def staff_lists(county: Municipality,
                imported: Mapping[str, list[Employee]] | None = None) -> list[StaffList]:
    """Per predecessor (by code), its imported, generated or missing employee list."""
    from ictmerge.planning.decisions import email_domain_for

    imported = imported or {}
    formers = _formers(county)
    # By the predecessor that held each computer before the takeover (the handover log), so
    # that a plan made after the records passed to the new municipality reads the same.
    former_ids = [f.pk for f in formers]
    held = held_before(Device, former_ids)
    computers = Counter(held.filter(kind__in=DeviceKind.COMPUTER_KINDS)
                        .values_list("held_by", flat=True))
    demo = set(held.filter(is_demo=True).values_list("held_by", flat=True))
    lists: list[StaffList] = []
    previous: list[Employee] = []
    for former in formers:
        if former.code in imported:
            lists.append(StaffList(former, list(imported[former.code]), "imported"))
        elif former.pk in demo:
            shared = previous[::SHARED_SHARE][:3]
            employees = generate_employees(former.code, email_domain_for(former),
                                           max(5, computers.get(former.pk, 0)),
                                           DEMO_STAFF_SEED, shared=shared)
            lists.append(StaffList(former, employees, "generated"))
        else:
            lists.append(StaffList(former, [], "none"))
        previous = [e for e in lists[-1].employees if e.active]
    return lists


def _network(county: Municipality, formers: Sequence[Municipality],
             demo_codes: set[str]) -> tuple[NetworkPlan, dict[str, str]]:
    from ictmerge.planning.decisions import consolidation_decisions

    by_id = {f.pk: f for f in formers}
    sites = list(held_before(SiteRecord, list(by_id)))
    for site in sites:
        site.municipality = by_id[site.held_by]  # named by the predecessor that held it
    sites.sort(key=lambda s: (s.municipality.code, s.name, s.pk))
    kept = consolidation_decisions(county)
    basis: dict[str, str] = {}
    if kept is not None:
        hub_sites = set(ServerRoom.objects.filter(
            pk__in=kept.kept_room_pks, site__isnull=False).values_list("site_id", flat=True))
        basis["hubs"] = "sites of the server rooms the consolidation plan keeps"
    else:
        hub_sites = set()
        basis["hubs"] = "no consolidation plan: the site with the most computers is the hub"
    if not hub_sites and sites:
        counts = {row["site_id"]: row["n"] for row in Device.objects.filter(
            site__in=sites, kind__in=DeviceKind.COMPUTER_KINDS)
            .values("site_id").annotate(n=Count("pk"))}
        hub_sites = {max(sites, key=lambda s: (counts.get(s.pk, 0), -s.pk)).pk}
    labels = [f"{s.name} ({s.municipality.code})" for s in sites]
    ranges = demo_ranges([(label, s.municipality.code) for label, s in zip(
        labels, sites, strict=True) if s.municipality.code in demo_codes], DEMO_STAFF_SEED)
    if ranges:
        basis["ranges"] = ("generated demo address ranges (the inventory holds no LAN ranges; "
                           "router defaults, so they overlap as real ones do)")
    else:
        basis["ranges"] = "no address ranges known: overlaps cannot be checked"
    net_sites = [NetSite(label, s.municipality.code,
                         float(s.latitude) if s.latitude is not None else None,
                         float(s.longitude) if s.longitude is not None else None,
                         ranges.get(label, ""), s.pk in hub_sites)
                 for label, s in zip(labels, sites, strict=True)]
    return plan_network(net_sites), basis


def county_accounts(county: Municipality,
                    imported: Mapping[str, list[Employee]] | None = None) -> CountyAccounts:
    """The account plan and network plan of the county."""
    lists = staff_lists(county, imported)
    domain = domain_for(county)
    plan = plan_accounts([e for s in lists for e in s.employees], domain)
    demo_codes = {s.former.code for s in lists if s.basis == "generated"}
    network, basis = _network(county, [s.former for s in lists], demo_codes)
    return CountyAccounts(county, domain, lists, plan, network, basis)


def accounts_json(result: CountyAccounts) -> AccountsPlan:
    """The account and network plan in names a reader knows."""
    plan, net = result.plan, result.network
    return {
        "county": {"id": result.county.pk, "code": result.county.code,
                   "name": result.county.name},
        "is_demo": result.is_demo,
        "email_domain": result.domain,
        "rule": plan.rule,
        "lists": [{"code": s.former.code, "name": s.former.name, "basis": s.basis,
                   "employees": len(s.employees)} for s in result.lists],
        "totals": {"create": plan.count(AccountAction.CREATE),
                   "merge": plan.count(AccountAction.MERGE),
                   "disable": plan.count(AccountAction.DISABLE),
                   "collisions": len(plan.collisions)},
        "collisions": [{"base": c.base, "holders": [{"source": s, "username": u}
                                                    for s, u in c.holders]}
                       for c in plan.collisions],
        "groups": [{"old_group": g.old_group, "new_group": g.new_group, "members": g.members}
                   for g in plan.groups],
        "accounts": [{"action": a.action.value, "username": a.username, "email": a.email,
                      "given_name": a.given_name, "family_name": a.family_name,
                      "department": a.department, "groups": list(a.groups),
                      "replaces": list(a.sources), "note": a.note} for a in plan.accounts],
        "network": {
            "rule": net.rule, "basis": result.network_basis,
            "sites": [{"name": s.name, "former": s.former_code, "hub": s.is_hub,
                       "address_range": s.address_range} for s in net.sites],
            "links": [{"a": link.a, "z": link.z, "km": link.km, "kind": link.kind}
                      for link in net.links],
            "overlaps": [{"site": o.site, "range": o.address_range, "other_site": o.other_site,
                          "other_range": o.other_range, "renumber": o.renumber}
                         for o in net.overlaps],
        },
    }
