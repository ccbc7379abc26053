"""Server and server-room consolidation: packing, room choice, money; `plan_county` is the front door."""

from .catalogue import load_external_rooms, load_host_catalogue
from .model import (
    CountyInputs,
    CountyPlan,
    ExistingServer,
    ExternalRoomOption,
    HostModel,
    MoneySummary,
    Params,
    PlacementRule,
    PlannedHost,
    Room,
    RoomDecision,
    RoomKind,
    RuleKind,
    SecurityClass,
    VirtualMachine,
    Workload,
)
from .plan import plan_county
from .rooms import RoomPlanInfeasible

__all__ = [
    "CountyInputs",
    "CountyPlan",
    "ExistingServer",
    "ExternalRoomOption",
    "HostModel",
    "MoneySummary",
    "Params",
    "PlacementRule",
    "PlannedHost",
    "Room",
    "RoomDecision",
    "RoomKind",
    "RoomPlanInfeasible",
    "RuleKind",
    "SecurityClass",
    "VirtualMachine",
    "Workload",
    "load_external_rooms",
    "load_host_catalogue",
    "plan_county",
]
