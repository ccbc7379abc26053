"""The navigation menu: apps add their entries, the base template draws them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class MenuItem:
    """One link in the navigation."""

    group: str | Promise
    label: str | Promise
    url_name: str
    order: int = 100


MENU: list[MenuItem] = []


def add_menu_item(item: MenuItem) -> None:
    """Add a link to the navigation (once)."""
    if item not in MENU:
        MENU.append(item)


def menu_for(request: HttpRequest) -> list[dict[str, Any]]:
    """The menu grouped for the template; empty for anonymous users."""
    if not request.user.is_authenticated:
        return []
    groups: dict[str, dict[str, Any]] = {}
    for item in sorted(MENU, key=lambda i: i.order):
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        group = groups.setdefault(str(item.group), {"label": item.group, "items": []})
        group["items"].append({"label": item.label, "url": url,
                               "active": request.path.startswith(url)})
    return list(groups.values())
