"""Request middleware: attributes writes made during a request to its user, refuses bodies
larger than their endpoint accepts, keeps the language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

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


def body_limit(request: HttpRequest) -> int:
    """The largest body the request's endpoint accepts, in bytes.

    The endpoint's entry in ICTMERGE_BODY_LIMITS (by URL name) if it has one; else a file
    upload (multipart, streamed to disk) up to twice the import limit, so that the import
    itself can answer a file just above its limit with both sizes; else any other body (JSON,
    form fields), which is read into memory, up to DATA_UPLOAD_MAX_MEMORY_SIZE.
    """
    from django.conf import settings

    match = request.resolver_match
    limits: dict[str, int] = getattr(settings, "ICTMERGE_BODY_LIMITS", {})
    if match is not None and match.url_name in limits:
        return limits[match.url_name]
    if request.content_type == "multipart/form-data":
        return 2 * int(settings.IMPORT_MAX_UPLOAD_MB) * 2**20
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


class BodyLimitMiddleware:
    """Answer 413 to a body larger than its endpoint accepts, before anything reads it.

    The declared Content-Length decides (without one, Django reads no body), so a large
    body costs neither the time to receive and parse it nor the memory.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Callable[..., Any], args: Any,
                     kwargs: Any) -> HttpResponse | None:
        from django.utils.translation import gettext as _

        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit(request)
        if length <= limit:
            return None
        message = _("The request is too large: %(size).1f MB, this address takes at most "
                    "%(limit).1f MB.") % {"size": length / 2**20, "limit": limit / 2**20}
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=413)
        return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
