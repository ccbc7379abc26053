"""Redirects back to the page a form came from go only to this site (issue 19, finding 7)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse


def _bad_posts(world: Any) -> list[tuple[str, str, dict[str, str]]]:
    """(user, url, data) of forms refused with a redirect back to where they came from."""
    return [
        ("lead", reverse("report_document_start"), {"kind": "nothing"}),
        ("viewer", reverse("self_assessment_start", args=[world.north.pk]), {}),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("referer", ["https://evil.example/phish", "//evil.example/phish",
                                     "javascript:alert(1)", "http://testserver.evil.example/"])
def test_it_never_redirects_a_refused_form_to_another_site(world: Any, referer: str) -> None:
    """GIVEN a refused form posted with a foreign Referer WHEN it redirects back
    THEN it goes to this site's start page, not to the Referer."""
    for user, url, data in _bad_posts(world):
        client = Client()
        client.force_login(world.users[user])
        response = client.post(url, data, HTTP_REFERER=referer)
        assert response.status_code == 302, url
        assert response.url == "/", url


@pytest.mark.django_db
def test_it_redirects_a_refused_form_back_to_the_page_of_this_site(world: Any) -> None:
    """GIVEN a refused form posted from a page of this site WHEN it redirects back
    THEN it goes to that page."""
    page = "http://testserver/reports/?tab=documents"
    for user, url, data in _bad_posts(world):
        client = Client()
        client.force_login(world.users[user])
        response = client.post(url, data, HTTP_REFERER=page)
        assert (response.status_code, response.url) == (302, page), url
