"""Security class: the high-water mark, merged-scale re-assessment, inconsistencies and rooms."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ictmerge.engine.systems._data import DataFileError
from ictmerge.engine.systems.security import (
    CIA,
    OBJECTIVES,
    Level,
    PredecessorClassification,
    load_rule_sets,
    reassess_function,
    room_shortfalls,
    security_class,
)

L, M, H = Level.LOW, Level.MODERATE, Level.HIGH
RULES = load_rule_sets()
LV = RULES["lv"]


def test_the_class_is_the_high_water_mark() -> None:
    assert security_class(CIA(L, L, L)) is L
    assert security_class(CIA(L, H, M)) is H
    assert security_class(CIA(M, L, M)) is M


def test_it_reads_level_names_including_medium() -> None:
    assert Level.parse("Medium") is M
    with pytest.raises(ValueError, match="unknown level"):
        Level.parse("severe")


def test_it_ships_fips_and_latvian_rule_sets_with_sources() -> None:
    assert set(RULES) == {"fips199", "lv"}
    assert "FIPS PUB 199" in RULES["fips199"].source
    assert LV.source.startswith("assumption")
    assert [LV.label(level) for level in Level] == ["C", "B", "A"]


def test_it_lists_predecessors_that_classified_the_same_function_differently() -> None:
    result = reassess_function(
        "social_assistance",
        [
            PredecessorClassification("AGL", "agl-soc", CIA(M, M, L), declared_class=M),
            PredecessorClassification("PRE", "pre-soc", CIA(H, M, L), declared_class=H),
        ],
        LV,
        merged_users=20,
        merged_data_subjects=4_000,
    )
    assert result.inconsistent
    assert "predecessors declared different classes (AGL: B, PRE: A)" in result.inconsistencies
    assert result.unified_class is H and result.unified_label == "A"
    assert not result.raised_above_predecessors


def test_a_merged_scale_raises_the_class_above_every_predecessor() -> None:
    # Each predecessor alone is small; together they hold data on 60,000 persons.
    small = CIA(L, M, L)
    result = reassess_function(
        "property_tax",
        [
            PredecessorClassification("A", "a-nin", small, declared_class=M),
            PredecessorClassification("B", "b-nin", small, declared_class=M),
        ],
        LV,
        merged_users=30,
        merged_data_subjects=60_000,
    )
    assert result.unified_requirements.confidentiality is H
    assert result.unified_class is H and result.raised_above_predecessors
    assert any("confidentiality raised from low to high" in r for r in result.reasons)
    assert not result.inconsistent


def test_a_declared_class_above_the_requirements_is_kept() -> None:
    result = reassess_function(
        "documents",
        [PredecessorClassification("A", "a-doc", CIA(L, L, L), declared_class=H)],
        RULES["fips199"],
        merged_users=5,
        merged_data_subjects=0,
    )
    assert result.unified_class is H
    assert "A declared class high but its requirements (C=low I=low A=low) give low" in (
        result.inconsistencies
    )


def test_it_refuses_a_function_without_predecessors() -> None:
    with pytest.raises(ValueError, match="no predecessor"):
        reassess_function("x", [], LV, merged_users=0, merged_data_subjects=0)


def test_it_lists_the_room_conditions_a_class_lacks() -> None:
    room = frozenset({"access_control", "ups", "cooling"})
    assert room_shortfalls(room, L, LV) == ()
    assert room_shortfalls(room, M, LV) == ("monitoring",)
    assert room_shortfalls(room, H, LV) == ("fire_suppression", "generator", "monitoring")


def test_a_bad_rule_file_names_the_field(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    rule = {
        "code": "x", "name": "x", "source": "assumption",
        "labels": {"low": "1", "moderate": "2", "high": "3"},
        "scale_raises": [{"requirement": "secrecy", "at_least": "high"}],
        "room_requirements": {},
    }  # fmt: skip
    path.write_text(json.dumps({"rule_sets": [rule]}), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"rule_sets\[0\]: scale_raises\[0\]: requirement"):
        load_rule_sets(path)


levels = st.sampled_from(list(Level))
cias = st.builds(CIA, levels, levels, levels)


@given(cias, st.sampled_from(OBJECTIVES), levels)
def test_the_class_is_monotone_in_each_requirement(cia: CIA, objective: str, level: Level) -> None:
    raised = cia.raised(objective, level)
    assert security_class(raised) >= security_class(cia)
    assert security_class(cia) == max(cia.get(o) for o in OBJECTIVES)


@given(st.lists(cias, min_size=1, max_size=4), cias, st.integers(0, 500), st.integers(0, 200_000))
def test_a_more_demanding_predecessor_never_lowers_the_unified_class(
    others: list[CIA], extra: CIA, users: int, subjects: int
) -> None:
    def unified(items: list[CIA]) -> Level:
        classifications = [
            PredecessorClassification(f"p{i}", f"s{i}", c) for i, c in enumerate(items)
        ]
        return reassess_function("f", classifications, LV, users, subjects).unified_class

    base = unified(others)
    assert unified([*others, extra]) >= base
    assert base >= max(security_class(c) for c in others)
