"""`{{ key|money_label }}`: a consolidation money line's name in the reader's language."""

from __future__ import annotations

from django import template

from ictmerge.consolidation.labels import money_label as _money_label

register = template.Library()


@register.filter
def money_label(key: str) -> str:
    """The money line's name in the active language."""
    return _money_label(str(key))
