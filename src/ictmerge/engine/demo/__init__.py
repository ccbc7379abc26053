"""Demo inventory generator: a plausible ICT inventory for a reform, from published totals.

Pure Python and deterministic: the same `DemoInput` (seed included) gives the same
`DemoInventory`. Totals (computers, physical servers, server rooms, ICT spend) are
apportioned with the largest-remainder method, so they are exact for every seed; the
seed only changes how they are spread over the municipalities. Every value is generated,
coordinates included (no map data is shipped).

The package splits the generator by concern: `records` (inputs and generated records),
`draws` (randomness and apportioning), `catalogue` (names and models to pick from),
`totals` (the country totals spread over municipalities), and one generator per area of a
municipality's inventory (`hardware`, `workloads`, `software`, `systems`, `finance`, with
the shared state and contracts in `base`) put together in `builder`.
"""

from ictmerge.engine.demo.records import (
    COMPUTER_KINDS,
    GOVERNANCE_MODELS,
    LEVELS,
    SHARE_THRESHOLD,
    DemoContract,
    DemoDevice,
    DemoFinance,
    DemoInput,
    DemoInstallation,
    DemoInventory,
    DemoLicence,
    DemoProduct,
    DemoRoom,
    DemoSite,
    DemoSystem,
    DemoTargets,
    DemoWorkload,
    FunctionInput,
    MunicipalityInput,
    MunicipalityInventory,
)
from ictmerge.engine.demo.totals import generate, generate_each
from ictmerge.engine.shares import apportion

__all__ = [
    "COMPUTER_KINDS", "GOVERNANCE_MODELS", "LEVELS", "SHARE_THRESHOLD", "DemoContract",
    "DemoDevice", "DemoFinance", "DemoInput", "DemoInstallation", "DemoInventory", "DemoLicence",
    "DemoProduct", "DemoRoom", "DemoSite", "DemoSystem", "DemoTargets", "DemoWorkload",
    "FunctionInput", "MunicipalityInput", "MunicipalityInventory", "apportion", "generate",
    "generate_each",
]
