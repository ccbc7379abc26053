"""`{% county_url 'name' county %}`: the address of a county page (reform and code)."""

from __future__ import annotations

from typing import Any

from django import template

from ictmerge.reforms import counties

register = template.Library()


@register.simple_tag
def county_url(name: str, county: Any, *extra: Any) -> str:
    """The address of the county page `name` of a County or new Municipality."""
    return counties.county_url(name, county, *extra)
