"""Fixtures shared by the whole suite: the personas' world."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def world(db: Any) -> Any:
    """A small reform with a user per persona (admin, auditor, lead, steward, viewer, outsider)."""
    from ictmerge.core.testing.personas import make_world

    return make_world()


@pytest.fixture(autouse=True)
def _forget_the_cli_actor() -> Any:
    """`ictmerge --as NAME` sets the actor for the process; a test must not pass it on."""
    yield
    from django.conf import settings

    if not settings.configured:  # engine tests run without Django (-p no:django)
        return
    from ictmerge.core.history import set_actor

    set_actor(None)
