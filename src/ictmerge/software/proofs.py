"""Licence proof documents: serving a proof only to users in scope (what may be uploaded is
the licence's own check, `inventory.models.software.proof_errors`).

Uploads are stored under MEDIA_ROOT, which no URL serves: the only way to a proof is the
view below, after the same scope check as the licence itself (another municipality's
licence answers 404).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404

from ictmerge.core import scoping, uploads
from ictmerge.core.uploads import ALLOWED, DEFAULT_MAX_BYTES  # noqa: F401 (kept importable here)
from ictmerge.inventory.models import Licence


def visible_licences(user: Any) -> QuerySet[Licence]:
    """The licences the user may see."""
    result: QuerySet[Licence] = scoping.restrict_queryset(Licence.objects.all(), user)
    return result


def proof_response(user: Any, pk: int) -> FileResponse:
    """Stream a licence's proof to a user in scope; Http404 for anything else."""
    licence = visible_licences(user).filter(pk=pk).first()
    if licence is None:
        raise Http404
    return uploads.file_response(licence.proof)
