"""Fixtures shared by the whole suite: the personas' world."""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import settings

# A property test states what must hold, not how fast: Hypothesis's 200 ms deadline fails
# examples whenever the shared machine is busy. In CI the examples are derandomised, so a run
# is repeatable; on a developer's machine they vary and keep exploring.
settings.register_profile("ictmerge", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "ictmerge")


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
