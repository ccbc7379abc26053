"""IS rationalisation, the national report's "after" columns for every county at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from django.utils.translation import get_language

from ictmerge.core.payloads import AfterFigures
from ictmerge.core.providers import AFTER_PROVIDERS, RETIRED_PRODUCT_PROVIDERS
from ictmerge.engine.systems.model import InformationSystem as EngineSystem
from ictmerge.engine.systems.plan import (
    criterion_value,
    national_candidate,
)
from ictmerge.engine.systems.scoring import (
    Method,
    ranking,
    score,
)
from ictmerge.reforms.models import Municipality, Reform
from ictmerge.systems.inputs import CountyInputs, counties_of, load_inputs


def kept_systems(inputs: CountyInputs, method: Method = Method.TOPSIS) -> dict[str, str]:
    """Function code -> kept system id, by the engine's rules without the sensitivity check.

    The national report needs only the winners of every county; the full plan also moves
    every weight (16 more scorings per function). The result equals the full plan's choice
    (a test holds them together).
    """
    kept: dict[str, str] = {}
    by_function: dict[str, list[EngineSystem]] = defaultdict(list)
    for system in inputs.systems:
        by_function[system.function_code].append(system)
    for function in inputs.functions:
        candidates = sorted(by_function.get(function.code, []), key=lambda s: s.system_id)
        if not candidates:
            continue
        if function.national_system_mandatory:
            kept[function.code] = national_candidate(function, candidates).system_id
            continue
        ids = [s.system_id for s in candidates]
        record = inputs.decisions.get(function.code)
        if record is not None and record.chosen_key() in ids:
            kept[function.code] = record.chosen_key()
            continue
        matrix = [[criterion_value(c, s, function, candidates, inputs.criteria.hosting_scores)
                   for c in inputs.criteria.criteria] for s in candidates]
        kept[function.code] = ranking(ids, score(matrix, inputs.criteria.criteria, method))[0]
    return kept


def after_figures(reform: Reform, only: Collection[int] | None = None
                  ) -> dict[int, AfterFigures]:
    """Per new municipality (of those `only` names): information systems and distinct IS
    products after the reform."""
    counties = [c for c in counties_of(reform) if only is None or c.pk in only]
    figures: dict[int, AfterFigures] = {}
    for county_id, inputs in load_inputs(counties, with_records=False).items():
        if not inputs.candidates:
            continue
        kept = kept_systems(inputs)
        names = {f.code: f.mandatory_national_system or "" for f in inputs.functions}
        products = {(inputs.candidates[key].system.product if key in inputs.candidates
                     else names[code]).lower() for code, key in kept.items()}
        decided = sum(1 for code in kept if code in inputs.decisions)
        figures[county_id] = {
            "information_systems_after": len(kept),
            "information_system_products_after": len(products),
            "information_systems_after_basis": "decided" if decided == len(kept)
            else "partly decided" if decided else "recommended",
        }
    return figures


def retired_products(county: Municipality) -> list[tuple[str, str, str, str]]:
    """The products of the systems the county's IS plan replaces, as (vendor, product, the
    kept system's "vendor product", reason); a product some kept system still runs is not
    retired."""
    inputs = load_inputs([county], with_records=False).get(county.pk)
    if inputs is None or not inputs.candidates:
        return []
    kept = kept_systems(inputs)
    kept_products = {(inputs.candidates[key].system.vendor.casefold(),
                      inputs.candidates[key].system.product.casefold())
                     for key in kept.values() if key in inputs.candidates}
    latvian = (get_language() or "").startswith("lv")
    labels = {f.code: f.name_lv if latvian else f.name_en for f in inputs.functions}
    found: dict[tuple[str, str], tuple[str, str, str, str]] = {}
    for system in sorted(inputs.systems, key=lambda s: s.system_id):
        key = kept.get(system.function_code)
        if key is None or system.system_id == key or system.external:
            continue
        identity = (system.vendor.casefold(), system.product.casefold())
        if identity in kept_products or identity in found:
            continue
        winner = inputs.candidates.get(key)
        replacement = (f"{winner.system.vendor} {winner.system.product}".strip()
                       if winner is not None else "")
        found[identity] = (system.vendor, system.product, replacement,
                           f"{labels.get(system.function_code, system.function_code)}: "
                           f"{winner.label if winner is not None else key}")
    return list(found.values())


def register_provider() -> None:
    """Fill the national report's IS columns from the plans, and tell the software register
    which products the plans retire (called once at start-up)."""
    if after_figures not in AFTER_PROVIDERS:
        AFTER_PROVIDERS.append(after_figures)
    if retired_products not in RETIRED_PRODUCT_PROVIDERS:
        RETIRED_PRODUCT_PROVIDERS.append(retired_products)
