"""The glossary of figures: each figure a user reads, its definition, its unit and the one
function that computes it.

Data in code, so that the glossary page, the tooltips, the API and the CLI say the same and
a test can hold every function named here to exist. The functions live in the apps above
core; they are named by dotted path so that core imports none of them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypedDict

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Figure:
    """One figure: its key (as the county report's JSON names it), name, definition, unit
    and the dotted path of the one function that computes it."""

    key: str
    name: str | Promise
    definition: str | Promise
    unit: str | Promise
    function: str

    def computed_by(self) -> Callable[..., Any]:
        """The function that computes the figure (imported on demand)."""
        module, _dot, name = self.function.rpartition(".")
        found: Callable[..., Any] = getattr(importlib.import_module(module), name)
        return found


class GlossaryEntry(TypedDict):
    """A figure of the glossary as JSON (API and CLI), in the reader's language."""

    key: str
    name: str
    definition: str
    unit: str
    function: str


_BEFORE = "ictmerge.inventory.figures.county_figures"
_BUDGET = "ictmerge.planning.services.budget_for"

#: Every figure the cockpit, the county and national pages, the documents, the API and the
#: CLI show, in the order the glossary page lists them.
GLOSSARY: tuple[Figure, ...] = (
    Figure("computers", _("Computers"),
           _("Desktops, laptops and thin clients the predecessors held before the takeover."),
           _("devices"), _BEFORE),
    Figure("servers_before", _("Servers before"),
           _("Physical servers the predecessors held before the takeover (virtual machines "
             "not counted); a split municipality's are divided by its shares."),
           _("servers"), _BEFORE),
    Figure("servers_after", _("Servers after"),
           _("Physical servers the county's server plan of record needs: the chosen "
             "scenario, else the latest one computed."),
           _("servers"), "ictmerge.consolidation.services.after_figures"),
    Figure("server_rooms_before", _("Server rooms before"),
           _("Server rooms the predecessors held before the takeover."),
           _("rooms"), _BEFORE),
    Figure("server_rooms_after", _("Server rooms after"),
           _("Server rooms the county's server plan of record keeps."),
           _("rooms"), "ictmerge.consolidation.services.after_figures"),
    Figure("information_systems_before", _("Information systems before"),
           _("Information systems the predecessors ran before the takeover."),
           _("systems"), _BEFORE),
    Figure("information_systems_after", _("Information systems after"),
           _("One system per function: the county's decision, else the recommendation."),
           _("systems"), "ictmerge.systems.after.after_figures"),
    Figure("software_products_before", _("Programs before"),
           _("Distinct software products (vendor, product, edition, major version) installed "
             "in the predecessors."),
           _("products"), _BEFORE),
    Figure("software_products_after", _("Programs after"),
           _("Distinct software products the county's recommended portfolio keeps."),
           _("products"), "ictmerge.software.portfolio.after_figures"),
    Figure("governance_before", _("Governance before"),
           _("The ICT governance model most of the predecessors' support staff work under."),
           _("model"), "ictmerge.planning.governance.current_support"),
    Figure("governance_after", _("Governance after"),
           _("The county's chosen governance model, else the recommended one."),
           _("model"), "ictmerge.planning.governance.governance_after"),
    Figure("one_off_eur", _("One-off cost"),
           _("The transition's one-off cost (hardware, licences, services, training, internal "
             "work), expected value of the plan of record, with its low and high range."),
           _("EUR"), _BUDGET),
    Figure("annual_change_eur", _("Change in annual cost"),
           _("The county's annual ICT cost after the takeover minus the predecessors' recorded "
             "spend, line by line; negative is a saving."),
           _("EUR a year"), _BUDGET),
    Figure("payback_years", _("Payback"),
           _("Years until the annual savings repay the one-off cost; none when there are no "
             "savings."),
           _("years"), _BUDGET),
    Figure("ict_spend_eur", _("ICT spend"),
           _("The predecessors' recorded ICT spend of their latest year."),
           _("EUR a year"), _BEFORE),
    Figure("share_pct", _("ICT spend share"),
           _("ICT spend as a percentage of total expenditure (the audit's threshold is "
             "0.75 %)."),
           _("%"), _BEFORE),
    Figure("phase_progress", _("Phase progress"),
           _("Share of the phase's checklist items done, from the recorded evidence."),
           _("%"), "ictmerge.review.services.county_progress"),
    Figure("tasks_due", _("Next actions due"),
           _("Action-plan tasks not done whose due date (or scheduled end) comes first."),
           _("tasks"), "ictmerge.reports.cockpit.next_actions"),
    Figure("titles_to_review", _("Titles to review"),
           _("Installed software titles the normaliser cannot map to a product with "
             "confidence."),
           _("titles"), "ictmerge.software.services.review_queue"),
)

FIGURES: dict[str, Figure] = {figure.key: figure for figure in GLOSSARY}


def figure(key: str) -> Figure:
    """The figure with that key (KeyError for an unknown one)."""
    return FIGURES[key]


def entry(item: Figure) -> GlossaryEntry:
    """A figure as JSON in the active language."""
    return {"key": item.key, "name": str(item.name), "definition": str(item.definition),
            "unit": str(item.unit), "function": item.function}


def glossary_json() -> list[GlossaryEntry]:
    """The whole glossary as JSON in the active language."""
    return [entry(item) for item in GLOSSARY]
