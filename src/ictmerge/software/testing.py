"""Test makers: a title rule that is not shared names a product the register knows."""

from __future__ import annotations

from typing import Any

from ictmerge.core.testing.factories import build_record, custom_maker
from ictmerge.software.models import TitleRule


@custom_maker(TitleRule)
def make_title_rule(municipality: Any, **overrides: Any) -> TitleRule:
    """A rule of the municipality mapping to a product of the shipped catalogue."""
    from ictmerge.software.services import shipped_catalogue

    product = shipped_catalogue().products[0]
    values = {"vendor": product.vendor, "product": product.product, **overrides}
    return build_record(TitleRule, municipality, custom=False, **values)
