"""Figures named as the glossary names them, with their definition as a tooltip."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ictmerge.core.glossary import figure

register = template.Library()


@register.simple_tag
def figure_help(key: str) -> str:
    """The figure's definition and unit, for a title attribute."""
    item = figure(key)
    return f"{item.definition} ({item.unit})"


@register.simple_tag
def figure_term(key: str, label: object = None) -> SafeString:
    """The figure's name (or the label given) linked to its glossary entry, its definition
    as the tooltip."""
    item = figure(key)
    text: object = item.name if label is None or label == "" else label
    if isinstance(text, int | float | Decimal) and not isinstance(text, bool):
        text = formats.number_format(text, use_l10n=True, force_grouping=True)
    return format_html('<a class="term" href="{}#{}" title="{}">{}</a>',
                       reverse("glossary"), key, figure_help(key), text)
