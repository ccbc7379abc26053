"""The review tests read English messages: the site speaks Latvian by default."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def english(settings: Any) -> Iterator[None]:
    """Pages and messages in English for these tests."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
