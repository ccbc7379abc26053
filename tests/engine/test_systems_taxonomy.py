"""Function taxonomy: the shipped data loads, covers the reform's functions and rejects bad files."""

import json
from pathlib import Path

import pytest

from ictmerge.engine.systems._data import DataFileError
from ictmerge.engine.systems.security import Level
from ictmerge.engine.systems.taxonomy import functions_by_code, load_functions

REQUIRED = {
    "finance", "budget", "hr_payroll", "documents", "property_tax", "social_assistance",
    "education", "preschool_queue", "utilities_billing", "property_management", "gis_planning",
    "construction", "eservices_web", "email_office", "backup", "endpoint_security",
}  # fmt: skip


def test_it_ships_every_function_the_issue_names_with_both_names_and_a_source() -> None:
    functions = functions_by_code(load_functions())
    assert set(functions) >= REQUIRED
    for function in functions.values():
        assert function.name_en and function.name_lv
        assert function.source.startswith("assumption") or "likums" in function.source.lower()


def test_it_marks_national_systems_that_are_mandatory() -> None:
    functions = functions_by_code(load_functions())
    assert functions["construction"].mandatory_national_system == "BIS"
    assert functions["education"].national_system_mandatory
    assert not functions["finance"].national_system_mandatory
    assert functions["finance"].national_registers  # reports still go to national systems


def test_it_reads_default_requirements_as_levels() -> None:
    backup = functions_by_code(load_functions())["backup"]
    assert backup.default_requirements.confidentiality is Level.HIGH


def _write(tmp_path: Path, functions: list[dict[str, object]]) -> Path:
    path = tmp_path / "functions.json"
    path.write_text(json.dumps({"functions": functions}), encoding="utf-8")
    return path


GOOD: dict[str, object] = {
    "code": "x",
    "name_en": "X",
    "name_lv": "X",
    "mandatory_national_system": None,
    "national_registers": [],
    "source": "assumption",
    "default_cia": ["low", "low", "low"],
}


def test_it_loads_an_edited_file_instead_of_the_shipped_one(tmp_path: Path) -> None:
    functions = load_functions(_write(tmp_path, [GOOD, {**GOOD, "code": "y"}]))
    assert [f.code for f in functions] == ["x", "y"]


def test_it_names_the_entry_and_field_of_a_bad_value(tmp_path: Path) -> None:
    path = _write(tmp_path, [GOOD, {**GOOD, "code": "y", "default_cia": ["low", "huge", "low"]}])
    with pytest.raises(DataFileError, match=r"functions\[1\]: default_cia: unknown level 'huge'"):
        load_functions(path)


def test_it_rejects_a_duplicate_code(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"functions\[1\]: code: duplicate"):
        load_functions(_write(tmp_path, [GOOD, GOOD]))


def test_it_rejects_a_missing_name(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"functions\[0\]: name_lv"):
        load_functions(_write(tmp_path, [{**GOOD, "name_lv": ""}]))
