"""Fixtures shared by the whole suite: the personas' world."""

from __future__ import annotations

from typing import Any

import pytest

from ictmerge.core.testing.personas import World, make_world


@pytest.fixture
def world(db: Any) -> World:
    """A small reform with a user per persona (admin, auditor, lead, steward, viewer, outsider)."""
    return make_world()
