"""Uploaded documents (licence proofs, checklist evidence): what may be uploaded.

One check for every upload of a document: the file's ending must be an allowed type, its
leading bytes must match that type (an HTML page or a program renamed .pdf is refused), and
its size must stay within a limit read from a setting. Models call `upload_errors` from
clean() on a new upload, so the form, the API (ScopedSerializer runs clean()) and anything
else that validates the record refuse the same files with the field named.
"""

from __future__ import annotations

import mimetypes
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

#: Default upper limit of an uploaded document (each kind has a setting that overrides it).
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


def max_bytes(setting: str) -> int:
    """The upload limit in bytes: the named setting, else DEFAULT_MAX_BYTES."""
    return int(getattr(settings, setting, DEFAULT_MAX_BYTES))


def is_new_upload(value: Any) -> bool:
    """True for a file just uploaded (not yet stored), which is the one to check."""
    return bool(value) and not getattr(value, "_committed", True)


def upload_errors(upload: Any, *, limit: int, type_message: StrOrPromise) -> list[str]:
    """What is wrong with an uploaded document (type by ending and content, size); empty if fine.

    `type_message` is the refusal of a wrong type, with a `%(name)s` placeholder for the file name.
    """
    name = PurePath(getattr(upload, "name", "") or "").name
    suffix = PurePath(name).suffix.lower()
    problems = []
    if suffix not in ALLOWED:
        problems.append(type_message % {"name": name})
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        problems.append(_("%(name)s: %(size)s bytes, more than the limit of %(limit)s bytes.")
                        % {"name": name, "size": size, "limit": limit})
    if suffix in ALLOWED and not problems:
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        if not any(head.startswith(magic) for magic in ALLOWED[suffix]):
            problems.append(_("%(name)s: the content is not a %(kind)s file.")
                            % {"name": name, "kind": suffix[1:].upper()})
    return problems


def file_response(stored: Any) -> FileResponse:
    """Stream a stored upload (a FieldFile) as a download; Http404 when there is none.

    An attachment the browser does not sniff: an uploaded HTML file never runs in our origin.
    Callers check the user's scope on the record first.
    """
    if not stored:
        raise Http404
    try:
        stream = stored.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    filename = PurePath(stored.name).name
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(stream, as_attachment=True, filename=filename,
                            content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
