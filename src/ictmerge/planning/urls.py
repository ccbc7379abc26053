"""Pages and API endpoints of the planning app beyond the generic resource ones."""

from typing import Any

urlpatterns: list[Any] = []
