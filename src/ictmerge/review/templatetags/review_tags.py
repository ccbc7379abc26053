"""Template helpers of the review pages and documents."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """mapping[key], or None when it is missing."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def percent(value: Any) -> str:
    """A percentage with one decimal, or a dash."""
    if value is None:
        return "—"
    return f"{float(value):.1f} %"
