"""Reading the editable JSON data files with messages that name the file, entry and field."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any


class DataFileError(ValueError):
    """A data file is missing a field or has a wrong value; the message names where."""


def read_json(path: Path | None, default_name: str) -> tuple[str, Any]:
    """Return (file name for messages, parsed JSON) of `path` or of the shipped `default_name`."""
    if path is None:
        text = (
            resources.files("ictmerge.engine.systems")
            .joinpath("data", default_name)
            .read_text(encoding="utf-8")
        )
        where = f"data/{default_name}"
    else:
        text = path.read_text(encoding="utf-8")
        where = str(path)
    try:
        return where, json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFileError(f"{where}: not valid JSON: {exc}") from exc


def entries(where: str, document: Any, key: str) -> list[Mapping[str, Any]]:
    """Return the list of objects under `key`, checking its shape."""
    if not isinstance(document, Mapping) or not isinstance(document.get(key), list):
        raise DataFileError(f"{where}: expected an object with a list '{key}'")
    items: list[Mapping[str, Any]] = []
    for index, item in enumerate(document[key]):
        if not isinstance(item, Mapping):
            raise DataFileError(f"{where}: {key}[{index}]: expected an object")
        items.append(item)
    return items


def text_field(where: str, item: Mapping[str, Any], field: str, *, optional: bool = False) -> str:
    """Return a non-empty string field (or '' when optional and absent/null)."""
    value = item.get(field)
    if value is None and optional:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise DataFileError(f"{where}: {field}: expected a non-empty text, got {value!r}")
    return value


def number_field(where: str, item: Mapping[str, Any], field: str) -> float:
    """Return a finite non-negative number field."""
    value = item.get(field)
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise DataFileError(f"{where}: {field}: expected a number >= 0, got {value!r}")
    return float(value)


def text_list(where: str, item: Mapping[str, Any], field: str) -> tuple[str, ...]:
    """Return a list-of-strings field as a tuple."""
    value = item.get(field, [])
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise DataFileError(f"{where}: {field}: expected a list of texts, got {value!r}")
    if not all(isinstance(v, str) and v for v in value):
        raise DataFileError(f"{where}: {field}: every entry must be a non-empty text")
    return tuple(value)
