"""One municipality's whole inventory: every generator, called in a fixed order.

The generators share one random stream per municipality, so the order of the calls is
part of what a seed means: change it and the same seed gives another demo.
"""

from __future__ import annotations

from ictmerge.engine.demo.finance import _Finance
from ictmerge.engine.demo.hardware import _Hardware
from ictmerge.engine.demo.records import (
    DemoInput,
    DemoInstallation,
    MunicipalityInput,
    MunicipalityInventory,
)
from ictmerge.engine.demo.software import _Software
from ictmerge.engine.demo.systems import _Systems
from ictmerge.engine.demo.workloads import _Workloads


class _Builder(_Hardware, _Workloads, _Software, _Systems, _Finance):
    """Builds one municipality's records, keeping the keys that link them."""


def _municipality(spec: DemoInput, municipality: MunicipalityInput, computers: int,
                  servers: int, rooms: int, expenditure: int,
                  spend: int | None) -> MunicipalityInventory:
    builder = _Builder(spec, municipality)
    finance = builder.finance(computers, expenditure, spend)
    builder.add_base_contracts(finance.governance_model)
    for copy in range(spec.scale):
        site_keys = builder.add_sites(copy)
        room_keys = builder.add_rooms(rooms, site_keys, copy)
        systems = builder.add_systems(copy)
        server_keys = builder.add_servers(servers, room_keys, site_keys)
        first_computer = len(builder.devices)
        builder.add_computers(computers, site_keys)
        builder.add_equipment(computers, site_keys)
        builder.add_workloads(server_keys, systems)
        builder.add_software(computers, server_keys, first_computer)
    return MunicipalityInventory(
        code=municipality.code, finance=finance, sites=tuple(builder.sites),
        rooms=tuple(builder.rooms), devices=tuple(builder.devices),
        workloads=tuple(builder.workloads),
        installations=tuple(DemoInstallation(name, publisher, version, count)
                            for (name, publisher, version), count
                            in sorted(builder.installations.items())),
        contracts=tuple(builder.contracts), licences=tuple(builder.licences),
        systems=tuple(builder.systems))
