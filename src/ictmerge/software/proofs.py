"""Licence proof documents: what may be uploaded, and serving a proof only to users in scope.

Uploads are stored under MEDIA_ROOT, which no URL serves: the only way to a proof is the
view below, after the same scope check as the licence itself (another municipality's
licence answers 404).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from ictmerge.core import scoping, uploads
from ictmerge.core.uploads import ALLOWED, DEFAULT_MAX_BYTES  # noqa: F401 (kept importable here)
from ictmerge.inventory.models import Licence

#: The setting that overrides the upload limit of a proof document.
SETTING = "ICTMERGE_PROOF_MAX_BYTES"


def max_bytes() -> int:
    """The upload limit of a proof in bytes."""
    return uploads.max_bytes(SETTING)


def proof_errors(upload: Any) -> list[str]:
    """What is wrong with an uploaded proof (type by ending and content, size); empty if fine."""
    return uploads.upload_errors(upload, limit=max_bytes(), type_message=_(
        "%(name)s: a proof must be a PDF, an image (PNG, JPEG, TIFF) or an office "
        "document (DOCX, XLSX, PPTX, ODT, ODS, DOC, XLS)."))


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
