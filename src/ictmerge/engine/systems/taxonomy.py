"""The function taxonomy: what municipal information systems are for, shipped as editable data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ictmerge.engine.systems._data import DataFileError, entries, read_json, text_field, text_list
from ictmerge.engine.systems.security import CIA, Level


@dataclass(frozen=True)
class BusinessFunction:
    """One function a municipality runs an information system for."""

    code: str
    name_en: str
    name_lv: str
    # A national system the function must be performed in; the municipality has no product choice.
    mandatory_national_system: str | None
    # National registers a local product for this function must exchange data with.
    national_registers: tuple[str, ...]
    source: str
    default_requirements: CIA

    @property
    def national_system_mandatory(self) -> bool:
        """True when the function must be performed in a named national system."""
        return self.mandatory_national_system is not None

    def name(self, language: str = "en") -> str:
        """Return the name in 'en' or 'lv'."""
        return self.name_lv if language == "lv" else self.name_en


def load_functions(path: Path | None = None) -> tuple[BusinessFunction, ...]:
    """Load the taxonomy from `path` or the shipped data/functions.json, in file order."""
    where, document = read_json(path, "functions.json")
    functions: list[BusinessFunction] = []
    seen: set[str] = set()
    for index, item in enumerate(entries(where, document, "functions")):
        here = f"{where}: functions[{index}]"
        code = text_field(here, item, "code")
        if code in seen:
            raise DataFileError(f"{here}: code: duplicate function code {code!r}")
        seen.add(code)
        functions.append(
            BusinessFunction(
                code=code,
                name_en=text_field(here, item, "name_en"),
                name_lv=text_field(here, item, "name_lv"),
                mandatory_national_system=text_field(
                    here, item, "mandatory_national_system", optional=True
                )
                or None,
                national_registers=text_list(here, item, "national_registers"),
                source=text_field(here, item, "source"),
                default_requirements=_default_requirements(here, item.get("default_cia")),
            )
        )
    return tuple(functions)


def _default_requirements(where: str, raw: object) -> CIA:
    if not isinstance(raw, list) or len(raw) != 3 or not all(isinstance(v, str) for v in raw):
        raise DataFileError(f"{where}: default_cia: expected three levels [C, I, A]")
    try:
        return CIA(*(Level.parse(v) for v in raw))
    except ValueError as exc:
        raise DataFileError(f"{where}: default_cia: {exc}") from None


def functions_by_code(functions: Sequence[BusinessFunction]) -> dict[str, BusinessFunction]:
    """Index functions by code."""
    return {function.code: function for function in functions}
