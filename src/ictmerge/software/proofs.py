"""Licence proof documents: what may be uploaded, and serving a proof only to users in scope.

Uploads are stored under MEDIA_ROOT, which no URL serves: the only way to a proof is the
view below, after the same scope check as the licence itself (another municipality's
licence answers 404).
"""

from __future__ import annotations

import mimetypes
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from ictmerge.core import scoping
from ictmerge.inventory.models import Licence

#: Default upper limit of a proof document (setting ICTMERGE_PROOF_MAX_BYTES overrides it).
DEFAULT_MAX_BYTES = 10 * 1024 * 1024

#: Allowed file endings and the leading bytes each must start with.
_PDF, _ZIP, _OLE = (b"%PDF-",), (b"PK\x03\x04",), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
ALLOWED: dict[str, tuple[bytes, ...]] = {
    ".pdf": _PDF,
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",),
    ".tif": (b"II*\x00", b"MM\x00*"), ".tiff": (b"II*\x00", b"MM\x00*"),
    ".docx": _ZIP, ".xlsx": _ZIP, ".pptx": _ZIP, ".odt": _ZIP, ".ods": _ZIP,
    ".doc": _OLE, ".xls": _OLE,
}


def max_bytes() -> int:
    """The upload limit in bytes."""
    return int(getattr(settings, "ICTMERGE_PROOF_MAX_BYTES", DEFAULT_MAX_BYTES))


def proof_errors(upload: Any) -> list[str]:
    """What is wrong with an uploaded proof (type by ending and content, size); empty if fine."""
    name = PurePath(getattr(upload, "name", "") or "").name
    suffix = PurePath(name).suffix.lower()
    problems = []
    if suffix not in ALLOWED:
        problems.append(_("%(name)s: a proof must be a PDF, an image (PNG, JPEG, TIFF) or an office "
                          "document (DOCX, XLSX, PPTX, ODT, ODS, DOC, XLS).") % {"name": name})
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes():
        problems.append(_("%(name)s: %(size)s bytes, more than the limit of %(limit)s bytes.")
                        % {"name": name, "size": size, "limit": max_bytes()})
    if suffix in ALLOWED and not problems:
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        if not any(head.startswith(magic) for magic in ALLOWED[suffix]):
            problems.append(_("%(name)s: the content is not a %(kind)s file.")
                            % {"name": name, "kind": suffix[1:].upper()})
    return problems


def visible_licences(user: Any) -> QuerySet[Licence]:
    """The licences the user may see."""
    result: QuerySet[Licence] = scoping.restrict_queryset(Licence.objects.all(), user)
    return result


def proof_response(user: Any, pk: int) -> FileResponse:
    """Stream a licence's proof to a user in scope; Http404 for anything else."""
    licence = visible_licences(user).filter(pk=pk).first()
    if licence is None or not licence.proof:
        raise Http404
    try:
        stream = licence.proof.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    filename = PurePath(licence.proof.name).name
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(stream, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
