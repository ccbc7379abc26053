"""Data-migration estimate for each system the rationalisation eliminates."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

from ictmerge.engine.systems._data import DataFileError, number_field, read_json, text_field
from ictmerge.engine.systems.model import InformationSystem


@dataclass(frozen=True)
class MigrationRates:
    """Effort rates, each with the assumption it rests on."""

    fixed_hours_per_system: float
    hours_per_10000_records: float
    same_product_factor: float
    hours_per_user_account: float
    hourly_rate_eur: float
    assumptions: tuple[str, ...]


def load_migration_rates(path: Path | None = None) -> MigrationRates:
    """Load rates from `path` or the shipped data/migration_rates.json."""
    where, document = read_json(path, "migration_rates.json")
    if not isinstance(document, dict):
        raise DataFileError(f"{where}: expected an object")
    rates = MigrationRates(
        fixed_hours_per_system=number_field(where, document, "fixed_hours_per_system"),
        hours_per_10000_records=number_field(where, document, "hours_per_10000_records"),
        same_product_factor=number_field(where, document, "same_product_factor"),
        hours_per_user_account=number_field(where, document, "hours_per_user_account"),
        hourly_rate_eur=number_field(where, document, "hourly_rate_eur"),
        assumptions=tuple(
            text_field(where, document, key) for key in sorted(document) if key.endswith("_source")
        ),
    )
    if rates.same_product_factor > 1:
        raise DataFileError(f"{where}: same_product_factor: expected at most 1")
    return rates


@dataclass(frozen=True)
class MigrationEstimate:
    """Effort and cost to move one eliminated system's data and users into the kept one."""

    source_system_id: str
    target_system_id: str
    records: int
    user_accounts: int
    same_product: bool
    hours: float
    cost_eur: float
    cut_over_date: dt.date | None
    working: str  # the arithmetic in words, so the figure can be checked


def estimate_migration(
    source: InformationSystem,
    target: InformationSystem,
    rates: MigrationRates,
    cut_over_date: dt.date | None = None,
) -> MigrationEstimate:
    """Estimate hours and cost: fixed per system + per-record work + per user account."""
    same_product = source.product.strip().lower() == target.product.strip().lower()
    factor = rates.same_product_factor if same_product else 1.0
    record_hours = source.records / 10_000 * rates.hours_per_10000_records * factor
    account_hours = source.users * rates.hours_per_user_account
    # Round up to a whole hour: effort is planned in hours and never below the true figure.
    hours = float(math.ceil(rates.fixed_hours_per_system + record_hours + account_hours - 1e-9))
    working = (
        f"{rates.fixed_hours_per_system:g} h fixed + {source.records:,} records / 10,000 x "
        f"{rates.hours_per_10000_records:g} h"
        + (f" x {factor:g} (same product)" if same_product else "")
        + f" + {source.users:,} accounts x {rates.hours_per_user_account:g} h = {hours:g} h; "
        f"x {rates.hourly_rate_eur:g} EUR/h"
    )
    return MigrationEstimate(
        source_system_id=source.system_id,
        target_system_id=target.system_id,
        records=source.records,
        user_accounts=source.users,
        same_product=same_product,
        hours=hours,
        cost_eur=round(hours * rates.hourly_rate_eur, 2),
        cut_over_date=cut_over_date,
        working=working,
    )
