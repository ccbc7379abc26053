"""Pages and API endpoints of the imports app beyond the generic resource ones."""

from typing import Any

urlpatterns: list[Any] = []
