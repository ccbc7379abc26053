"""The JSON the software API and CLI answer, typed: licence position, contracts, portfolio,
the review queue and normalised titles.

The REST schema is generated from these (ictmerge.core.api.typed), so it names every field.
"""

from __future__ import annotations

from typing import TypedDict


class MunicipalityRef(TypedDict):
    """The municipality (or county) the answer is of."""

    code: str
    name: str
    stage: str


class ReformDate(TypedDict):
    """Its reform and the reform date."""

    code: str
    effective_date: str


# --- licence position ---------------------------------------------------------------------


class LowExpectedHigh(TypedDict):
    """An amount in euros: low, expected and high."""

    low: float
    expected: float
    high: float


class ShortfallCostPayload(TypedDict):
    """What closing a shortfall would cost, priced from the cost catalogue."""

    item: str
    quantity: int
    low: float
    expected: float
    high: float
    basis: str
    #: "one_off" (a perpetual licence) or "annual" (a subscription, by the year).
    kind: str


class ProductPositionPayload(TypedDict):
    """One product's licence position for the new municipality."""

    vendor: str
    product: str
    metric: str
    installs: int
    devices: int
    users: int
    cores: int
    needed: int
    entitled: int
    shortfall: int
    surplus: int
    not_transferable: int
    shortfall_if_untransferable_lost: int
    expiring: int
    expired: int
    missing_proof: int
    licence_records: int
    site_licence: bool
    shortfall_cost_eur: ShortfallCostPayload | None
    #: licensable, free or component.
    category: str
    #: How the licences pass to the new municipality: with_device (OEM), vendor_transfer
    #: (volume), retenant (subscription), passes, not_transferable, no_licence, none_needed.
    transfer_rule: str
    transfer_rule_label: str
    #: Licence units (valid, or subscriptions) under each transfer rule.
    licences_by_rule: dict[str, int]
    uncovered_after_transfer: int
    moved_in: int
    #: Licences the new municipality buys (0 for a product its plans retire).
    to_buy: int
    purchase_eur: ShortfallCostPayload | None
    vendor_transfers: int
    retenants: int
    #: "portfolio" or "is_plan" when a plan retires the product, else null.
    retired_by: str | None
    retired_note: str
    #: Known only from titles waiting in the review queue: nothing bought until mapped.
    in_review: bool


class PositionTotals(TypedDict):
    """Sums over the products."""

    products: int
    products_short: int
    products_with_surplus: int
    shortfall: int
    surplus: int
    not_transferable: int
    expiring: int
    missing_proof: int
    shortfall_cost_eur: LowExpectedHigh
    to_buy: int
    products_to_buy: int
    products_retired: int
    vendor_transfers: int
    retenants: int
    #: What the licences to buy cost once (perpetual) and each year (subscriptions).
    purchase_one_off_eur: LowExpectedHigh
    purchase_annual_eur: LowExpectedHigh


class LicencePosition(TypedDict):
    """The licence position of a municipality (a new one counts all its predecessors)."""

    municipality: MunicipalityRef
    reform: ReformDate
    predecessors: list[str]
    as_of: str
    expiring_before: str
    demo_data: bool
    totals: PositionTotals
    products: list[ProductPositionPayload]
    assumptions: list[str]


# --- contracts ----------------------------------------------------------------------------


class ContractToActPayload(TypedDict):
    """A contract that needs a decision before the reform date, and why."""

    id: int
    title: str
    municipality: str
    municipality_name: str
    supplier: str
    kind: str
    annual_value_eur: float | None
    start_date: str | None
    end_date: str | None
    notice_days: int | None
    notice_deadline: str | None
    assignable: bool
    reasons: list[str]
    decide_by: str
    is_demo: bool


class ContractsToAct(TypedDict):
    """Every contract of the county to act on before the reform date (counts by reason)."""

    municipality: MunicipalityRef
    reform: ReformDate
    demo_data: bool
    count: int
    by_reason: dict[str, int]
    annual_value_eur: float
    contracts: list[ContractToActPayload]


# --- portfolio ----------------------------------------------------------------------------


class RegisterPayload(TypedDict):
    """A municipality's software register, counted."""

    code: str
    name: str
    stage: str
    products: int
    product_records: int
    installs: int
    devices: int
    components: int


class ProductLinePayload(TypedDict):
    """One product (versions together) in the county and how much it is installed."""

    vendor: str
    product: str
    category: str
    metric: str
    function: str | None
    installs: int
    devices: int
    product_records: int


class FunctionGroupPayload(TypedDict):
    """The products of one function, the one to keep and what keeping it saves (euro
    amounts by low / expected / high)."""

    function: str
    label: str
    keep: ProductLinePayload
    drop: list[ProductLinePayload]
    installs_to_change: int
    licences_freed: int
    avoided_licence_eur: dict[str, float]
    extra_licences: int
    extra_licence_eur: dict[str, float]
    net_saving_eur: dict[str, float]
    reasoning: list[str]


class PortfolioPayload(TypedDict):
    """The software register per predecessor and merged, and the products to keep."""

    municipality: MunicipalityRef
    reform: ReformDate
    demo_data: bool
    products_before: int
    products_after: int
    products_recommended: int
    product_records_after: int
    product_records_recommended: int
    unnormalised_installs: int
    predecessors: list[RegisterPayload]
    merged: RegisterPayload
    groups: list[FunctionGroupPayload]
    products: list[ProductLinePayload]
    assumptions: list[str]


# --- normalisation ------------------------------------------------------------------------


class NormalisedTitlePayload(TypedDict):
    """A normalised title (the CSV contract's columns) and how it was found."""

    vendor: str
    product: str
    version_major: str
    category: str
    confidence: float
    method: str
    needs_review: bool
    rule: str


class QueuedTitle(TypedDict):
    """An unknown or low-confidence title and where it is installed."""

    name: str
    publisher: str
    version: str
    installs: int
    rows: int
    municipalities: int
    suggestion: NormalisedTitlePayload


class ReviewQueue(TypedDict):
    """Unknown and low-confidence titles."""

    count: int
    titles: list[QueuedTitle]


class TitleMapped(TypedDict):
    """The title rule created and how many installations it changed."""

    rule: int
    municipality: str
    installations_changed: int
    municipalities: int


class TitlesMapped(TypedDict):
    """The title rules the selected titles became, one each."""

    count: int
    mapped: list[TitleMapped]


class NormalisedTitles(TypedDict):
    """The raw titles normalised, in order."""

    results: list[NormalisedTitlePayload]
