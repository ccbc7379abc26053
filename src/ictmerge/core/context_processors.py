"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The navigation menu, grouped by phase, and the user's role."""
    from ictmerge.core.navigation import menu_for

    return {"nav_menu": menu_for(request)}
