"""Fixtures shared by the whole suite: the personas' world."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def world(db: Any) -> Any:
    """A small reform with a user per persona (admin, auditor, lead, steward, viewer, outsider)."""
    from ictmerge.core.testing.personas import make_world

    return make_world()
