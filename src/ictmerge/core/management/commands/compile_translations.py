"""Compile every .po file of the package to .mo with polib (no GNU gettext needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.core.management.base import BaseCommand

PACKAGE_DIR = Path(__file__).resolve().parents[3]


class Command(BaseCommand):
    """Build the .mo files next to their .po sources when these are newer."""

    help = "Compile the translations (.po → .mo) with polib."

    def handle(self, *args: Any, **options: Any) -> None:
        for po_path in sorted(PACKAGE_DIR.glob("**/locale/*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            catalogue = polib.pofile(str(po_path))
            catalogue.save_as_mofile(str(mo_path))
            self.stdout.write(f"compiled {po_path.relative_to(PACKAGE_DIR)}")
