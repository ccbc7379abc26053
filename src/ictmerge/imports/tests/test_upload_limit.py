"""The import limit comes from a setting, and large uploads stream to disk, not memory."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from ictmerge.engine.imports import text
from ictmerge.imports.models import ImportRun
from ictmerge.inventory.models import Device


def _computers(rows: int) -> bytes:
    lines = ["municipality;name;kind;serial"]
    lines += [f"A;PC-{i};desktop;SN-{i}" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def test_it_takes_a_million_row_inventory_by_default() -> None:
    """GIVEN the default settings THEN the limit is IMPORT_MAX_UPLOAD_MB (512) and covers the
    benchmark's 1,000,000-row computers file (about 115 MB)."""
    assert settings.IMPORT_MAX_UPLOAD_MB == 512
    assert text.MAX_FILE_BYTES == 512 * 2**20
    assert text.MAX_FILE_BYTES > 115 * 2**20


@pytest.mark.django_db
def test_it_refuses_an_upload_above_the_setting(world: Any) -> None:
    """GIVEN IMPORT_MAX_UPLOAD_MB=1 WHEN a 2 MB file is posted to the API THEN 400 names both
    sizes, nothing is recorded, and the limit is back once the setting is."""
    client = APIClient()
    client.force_authenticate(world.users["steward"])
    content = _computers(70_000)
    assert len(content) > 2**20
    runs = ImportRun.objects.count()
    with override_settings(IMPORT_MAX_UPLOAD_MB=1):
        response = client.post(reverse("api_imports"), {
            "type": "computers", "file": SimpleUploadedFile("big.csv", content)},
            format="multipart")
        assert response.status_code == 400
        answer = response.content.decode()  # in the client's language: both sizes show
        assert " 1 MB" in answer and f"{len(content) / 2**20:.1f} MB" in answer
    assert ImportRun.objects.count() == runs
    assert text.MAX_FILE_BYTES == 512 * 2**20


class RecordingUploadHandler(TemporaryFileUploadHandler):
    """Django's handler for uploads kept on disk, noting what it handed over."""

    handed_over: list[Any] = []

    def file_complete(self, file_size: int) -> Any:
        uploaded = super().file_complete(file_size)
        self.handed_over.append(uploaded)
        return uploaded


@pytest.mark.django_db
def test_it_streams_a_large_upload_to_a_temporary_file(world: Any) -> None:
    """GIVEN uploads above 1 KB kept on disk WHEN a larger file is imported on the page THEN
    Django hands over a temporary file on disk and its rows are imported."""
    assert settings.FILE_UPLOAD_HANDLERS[-1] == \
        "django.core.files.uploadhandler.TemporaryFileUploadHandler"
    client = Client()
    client.force_login(world.users["steward"])
    RecordingUploadHandler.handed_over.clear()
    with override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=1024, FILE_UPLOAD_HANDLERS=[
            "django.core.files.uploadhandler.MemoryFileUploadHandler",
            f"{__name__}.RecordingUploadHandler"]):
        response = client.post(reverse("import"), {
            "import_type": "computers", "municipality": world.former_a.code,
            "file": SimpleUploadedFile("many.csv", _computers(200))})
    assert response.status_code in (200, 302)
    assert [type(f) for f in RecordingUploadHandler.handed_over] == [TemporaryUploadedFile]
    assert Device.objects.filter(municipality=world.former_a).count() == 200
