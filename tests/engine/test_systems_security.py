"""Security class: the high-water mark, merged-scale re-assessment, inconsistencies and rooms."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ictmerge.engine.systems._data import DataFileError
from ictmerge.engine.systems.security import (
    CIA,
    CRITICAL_STATE_IS,
    OBJECTIVES,
    Level,
    PredecessorClassification,
    load_law,
    load_rule_sets,
    reassess_function,
    room_shortfalls,
    security_class,
)

L, M, H = Level.LOW, Level.MODERATE, Level.HIGH
RULES = load_rule_sets()
LV = RULES["lv-442"]
BASIC, INCREASED = "basic-security system", "increased-security system"


def test_the_class_is_the_high_water_mark() -> None:
    assert security_class(CIA(L, L, L)) is L
    assert security_class(CIA(L, H, M)) is H
    assert security_class(CIA(M, L, M)) is M


def test_it_reads_level_names_including_medium() -> None:
    assert Level.parse("Medium") is M
    with pytest.raises(ValueError, match="unknown level"):
        Level.parse("severe")


def test_it_ships_fips_and_the_latvian_rule_sets_of_each_date_with_sources() -> None:
    """GIVEN the shipped rules THEN FIPS 199 is generic and Latvia has Reg. 442 then Reg. 397."""
    law = load_law()
    assert set(RULES) == {"fips199", "lv-442", "lv-nkdl"}
    assert "FIPS PUB 199" in RULES["fips199"].source.act
    assert law.rule_set_on("LV", dt.date(2021, 7, 1)) == LV
    assert law.rule_set_on("lv", dt.date(2026, 3, 1)) == RULES["lv-nkdl"]
    assert law.rule_set_on("EE", dt.date(2021, 7, 1)) is None
    assert [LV.label(level) for level in Level] == [BASIC, INCREASED, INCREASED]
    assert [LV.label(level, "lv") for level in Level] == [
        "pamata drošības sistēma",
        "paaugstinātas drošības sistēma",
        "paaugstinātas drošības sistēma",
    ]
    assert LV.source.url == "https://likumi.lv/ta/id/275671" and LV.source.confirmed
    assert all(c.source.confirmed and "cert.lv" in c.source.url for c in LV.classes)


def test_no_latvian_class_is_called_a_b_or_c() -> None:
    """GIVEN every Latvian rule set THEN no class label is a bare letter A, B, C or D."""
    for rules in RULES.values():
        for item in rules.classes:
            assert item.label_en.strip(" .").upper() not in {"A", "B", "C", "D"}
            assert item.label_lv.strip(" .").upper() not in {"A", "B", "C", "D"}


def test_increased_security_needs_four_more_documents_than_basic() -> None:
    """GIVEN Reg. 442 WHEN its classes' documents are read THEN increased adds four, sourced."""
    basic = [d.code for d in LV.class_of(L).documents]
    increased = [d.code for d in LV.class_of(H).documents]
    assert basic == ["security_policy"]
    assert increased == [
        "security_policy",
        "internal_rules",
        "usage_rules",
        "risk_management_plan",
        "recovery_plan",
    ]
    assert all(d.source.url and d.source.note for d in LV.class_of(M).documents)


def test_every_rule_without_a_confirmed_source_is_listed_until_confirmed() -> None:
    """GIVEN the law WHEN a rule id is confirmed THEN it leaves the unconfirmed list."""
    law = load_law()
    unconfirmed = law.unconfirmed()
    ids = {r.rule_id for r in unconfirmed}
    assert "lv-442/increased/criterion" in ids and "lv-442/validity" in ids
    assert all(not r.source.confirmed for r in unconfirmed)
    assert "lv-442/basic" not in ids  # the class name is confirmed by CERT.LV's templates
    assert "lv-442/increased/criterion" not in {
        r.rule_id for r in law.unconfirmed({"lv-442/increased/criterion"})
    }


def test_reg_1445_binds_only_critical_state_systems_with_its_points() -> None:
    """GIVEN Reg. 442's increased class THEN Reg. 1445's UPS, power and links are sourced."""
    critical = [r for r in LV.class_of(H).rooms if r.applies_to == CRITICAL_STATE_IS]
    assert [(r.condition, r.source.point) for r in critical] == [
        ("ups", "3.1"),
        ("generator", "3.2"),
        ("two_internet_links", "4.1"),
    ]
    assert "generator" not in LV.room_requirements[H]


def test_duties_apply_from_the_law_in_force_with_deadlines() -> None:
    """GIVEN a plan ending 2021 or 2026 THEN only the 2026 one carries the NIS2 duties."""
    law = load_law()
    assert law.duties_on("LV", dt.date(2021, 7, 1)) == ()
    codes = {d.code: d for d in law.duties_on("LV", dt.date(2026, 1, 1))}
    assert codes["registration"].deadline == dt.date(2025, 4, 1)
    assert codes["registration"].source.point == "Transitional provision 7"
    assert {"self_assessment", "cybersecurity_manager", "minimum_requirements"} <= set(codes)


def test_it_lists_predecessors_that_classified_the_same_function_differently() -> None:
    result = reassess_function(
        "social_assistance",
        [
            PredecessorClassification("AGL", "agl-soc", CIA(L, L, L), declared_class=L),
            PredecessorClassification("PRE", "pre-soc", CIA(H, M, L), declared_class=H),
        ],
        LV,
        merged_users=20,
        merged_data_subjects=4_000,
    )
    assert result.inconsistent
    assert (
        f"predecessors declared different classes (AGL: {BASIC}, PRE: {INCREASED})"
        in result.inconsistencies
    )
    assert result.unified_class is H and result.unified_label == INCREASED
    assert not result.raised_above_predecessors


def test_moderate_and_high_are_one_increased_class_under_reg_442() -> None:
    """GIVEN declared moderate and high WHEN re-assessed under Reg. 442 THEN no inconsistency."""
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
    assert not result.inconsistent and result.unified_label == INCREASED


def test_a_merged_scale_raises_the_class_above_every_predecessor() -> None:
    # Each predecessor alone is small; together they hold data on 60,000 persons.
    small = CIA(L, L, L)
    result = reassess_function(
        "property_tax",
        [
            PredecessorClassification("A", "a-nin", small, declared_class=L),
            PredecessorClassification("B", "b-nin", small, declared_class=L),
        ],
        LV,
        merged_users=30,
        merged_data_subjects=60_000,
    )
    assert result.unified_requirements.confidentiality is H
    assert result.unified_class is H and result.unified_label == INCREASED
    assert result.raised_above_predecessors
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
    room = frozenset({"access_control", "ups"})
    assert room_shortfalls(room, L, LV) == ()
    assert room_shortfalls(room, M, LV) == ("cooling",)
    assert room_shortfalls(room, H, RULES["fips199"]) == (
        "cooling",
        "fire_suppression",
        "monitoring",
    )


def test_a_bad_rule_file_names_the_field(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    source = {"act": "x", "status": "assumption", "note": "x"}
    rule = {
        "code": "x", "name": "x", "name_lv": "x", "source": source, "validity_source": source,
        "scale_source": source,
        "classes": [{"code": "all", "levels": ["low", "moderate", "high"], "label_en": "all",
                     "label_lv": "visi", "source": source, "criterion_en": "x",
                     "criterion_lv": "x", "criterion_source": source, "documents": [],
                     "rooms": []}],
        "scale_raises": [{"requirement": "secrecy", "at_least": "high"}],
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
