"""Request middleware: attributes writes made during a request to its user."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from ictmerge.core.history import acting_as


class CurrentUserMiddleware:
    """Make the signed-in user the actor of every write in the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with acting_as(request.user if request.user.is_authenticated else None):
            return self.get_response(request)
