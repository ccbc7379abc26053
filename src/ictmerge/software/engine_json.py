"""JSON forms of engine results shared by the API and the CLI."""

from __future__ import annotations

from ictmerge.engine.software import NormalisedTitle
from ictmerge.software.payloads import NormalisedTitlePayload


def normalised_json(result: NormalisedTitle) -> NormalisedTitlePayload:
    """A normalised title as JSON-safe data (the CSV contract's columns, and how it was found)."""
    return {"vendor": result.vendor, "product": result.product,
            "version_major": result.major_version, "category": result.category.value,
            "confidence": result.confidence, "method": result.method.value,
            "needs_review": result.needs_review, "rule": result.rule_id}
