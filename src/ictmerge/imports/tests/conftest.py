"""Fixtures of the import tests: the shared real-world files."""

from __future__ import annotations

from pathlib import Path

import pytest

#: ../shared/fixtures relative to the repository root.
FIXTURES = Path(__file__).resolve().parents[4].parent / "shared" / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    """The shared fixtures folder, or a skip saying where it was looked for."""
    if not FIXTURES.is_dir():
        pytest.skip(f"the shared fixtures are not at {FIXTURES}")
    return FIXTURES
