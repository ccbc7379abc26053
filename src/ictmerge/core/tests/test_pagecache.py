"""Rendered parts kept per database: two databases may share one cache folder."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.utils.safestring import SafeString, mark_safe

from ictmerge.core import pagecache

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
          pagecache.PAGE_CACHE: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                 "LOCATION": "test-pagecache"}}


@override_settings(CACHES=CACHES)
def test_it_renders_the_same_inputs_again_for_another_database(monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN a part rendered from some inputs on one database WHEN the same inputs are asked
    for on another database sharing the cache THEN it is rendered again, not taken from the first."""
    rendered: list[str] = []

    def render(text: str) -> SafeString:
        rendered.append(text)
        return mark_safe(text)  # nosec B308 # test text

    monkeypatch.setattr(pagecache, "_database", lambda: ("sqlite", None, None, "staging"))
    assert pagecache.rendered_once("county", (1, 7), lambda: render("staging")) == "staging"
    assert pagecache.rendered_once("county", (1, 7), lambda: render("again")) == "staging"
    monkeypatch.setattr(pagecache, "_database", lambda: ("sqlite", None, None, "production"))
    assert pagecache.rendered_once("county", (1, 7), lambda: render("production")) == "production"
    assert rendered == ["staging", "production"]
