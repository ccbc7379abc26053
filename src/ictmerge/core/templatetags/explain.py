"""`{{ reason|explain }}`: an engine explanation in the reader's language (a builtin filter)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from ictmerge.core.explanations import joined_text, text_of
from ictmerge.engine.explain import Explanation

register = template.Library()


@register.filter
def explain(value: Any, separator: str = "; ") -> str:
    """An explanation, its JSON, a list of them (joined by `separator`) or a plain text."""
    if value is None or value == "":
        return ""
    if isinstance(value, (str, Explanation, Mapping)):
        return text_of(value)
    return joined_text(value, separator)
