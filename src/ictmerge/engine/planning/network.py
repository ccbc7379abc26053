"""The network plan of the new municipality: sites to connect, links, overlapping ranges."""

from __future__ import annotations

import ipaddress
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

#: Address ranges that small offices take from their router's defaults (so they overlap).
DEMO_RANGES = ("192.168.0.0/24", "192.168.1.0/24", "10.0.0.0/24", "192.168.10.0/24",
               "172.16.0.0/24", "10.10.0.0/16", "192.168.100.0/24")

LINK_RULE = ("Every site is linked to the nearest site that keeps a server room (a hub); the "
             "hubs are linked to each other in a chain by distance. With no kept room, the site "
             "with the most computers is the hub.")


@dataclass(frozen=True)
class NetSite:
    """A site of a predecessor, with where it is and its LAN range if known."""

    name: str
    former_code: str
    latitude: float | None = None
    longitude: float | None = None
    address_range: str = ""
    is_hub: bool = False


@dataclass(frozen=True)
class Link:
    """A link to set up between two sites, with its straight-line length."""

    a: str
    z: str
    km: float | None
    kind: str  # "site-hub" or "hub-hub"


@dataclass(frozen=True)
class Overlap:
    """Two sites of different predecessors whose address ranges overlap: one is renumbered."""

    site: str
    address_range: str
    other_site: str
    other_range: str
    renumber: str  # the site to renumber


@dataclass
class NetworkPlan:
    """Sites, links and overlaps."""

    sites: list[NetSite] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    overlaps: list[Overlap] = field(default_factory=list)
    rule: str = LINK_RULE


def distance_km(a: NetSite, b: NetSite) -> float | None:
    """Great-circle distance, or None when a site has no coordinates."""
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    lat1, lon1 = math.radians(a.latitude or 0), math.radians(a.longitude or 0)
    lat2, lon2 = math.radians(b.latitude or 0), math.radians(b.longitude or 0)
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return round(2 * 6371.0 * math.asin(math.sqrt(h)), 1)


def _far(km: float | None) -> float:
    return math.inf if km is None else km


def demo_ranges(sites: Sequence[tuple[str, str]], seed: int) -> dict[str, str]:
    """Made-up LAN ranges for (site name, former code) pairs, the same for the same seed."""
    result = {}
    for name, code in sites:
        rng = random.Random(f"{seed}:{code}:{name}")
        result[name] = rng.choice(DEMO_RANGES)
    return result


def plan_network(sites: Sequence[NetSite]) -> NetworkPlan:
    """Links by LINK_RULE and the overlapping address ranges between predecessors."""
    plan = NetworkPlan(sites=list(sites))
    hubs = [s for s in sites if s.is_hub] or list(sites[:1])
    hub_names = {h.name for h in hubs}
    for site in sites:
        if site.name in hub_names:
            continue
        nearest = min(hubs, key=lambda h: (_far(distance_km(site, h)), h.name))
        plan.links.append(Link(site.name, nearest.name, distance_km(site, nearest), "site-hub"))
    chain = [hubs[0]] if hubs else []
    rest = hubs[1:]
    while rest:
        last = chain[-1]
        nxt = min(rest, key=lambda h: (_far(distance_km(last, h)), h.name))
        plan.links.append(Link(last.name, nxt.name, distance_km(last, nxt), "hub-hub"))
        chain.append(nxt)
        rest.remove(nxt)
    networks = []
    for site in sites:
        if site.address_range:
            try:
                networks.append((site, ipaddress.ip_network(site.address_range, strict=False)))
            except ValueError:
                continue
    renumbered: set[str] = set()
    for i, (a, net_a) in enumerate(networks):
        for b, net_b in networks[i + 1:]:
            if a.former_code == b.former_code or net_a.version != net_b.version:
                continue
            if net_a.overlaps(net_b):
                # Keep the hub's range; otherwise renumber the later site of the two.
                target = a.name if b.is_hub and not a.is_hub else b.name
                plan.overlaps.append(Overlap(a.name, a.address_range, b.name,
                                             b.address_range, target))
                renumbered.add(target)
    return plan


def sites_to_renumber(plan: NetworkPlan) -> list[str]:
    """Each site that must change its range, once."""
    return sorted({o.renumber for o in plan.overlaps})
