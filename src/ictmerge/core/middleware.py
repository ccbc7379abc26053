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


class LanguageMiddleware:
    """Latvian by default whatever the browser asks for; the language switch's cookie wins.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so that most
    machines (set up in English) would never show the default language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.utils import translation

        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", code)
        return response
