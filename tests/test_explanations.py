"""Every explanation code of the engine has a message, translated into Latvian."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import polib
import pytest
from django.utils import translation

import ictmerge
import ictmerge.engine
from ictmerge.core.explanations import MESSAGES, Plural, text_of
from ictmerge.engine.explain import (
    DEFINITIONS,
    PLACEHOLDER,
    Definition,
    Explanation,
    Number,
    explain,
)

CATALOGUE = Path(ictmerge.__file__).parent / "locale" / "lv" / "LC_MESSAGES" / "django.po"


def _all_definitions() -> dict[str, Definition]:
    """Import every engine module, so that each has declared its codes."""
    for module in pkgutil.walk_packages(ictmerge.engine.__path__, "ictmerge.engine."):
        importlib.import_module(module.name)
    # The engine's own tests declare codes under "test." for themselves.
    return {code: d for code, d in DEFINITIONS.items() if not code.startswith("test.")}


def _texts(message: object) -> list[str]:
    if isinstance(message, Plural):
        return [message.singular, message.plural]
    # A lazy text keeps its msgid in _args; str() would translate it.
    return [str(getattr(message, "_args", [message])[0])]


def test_it_declares_a_latvian_message_for_every_engine_code() -> None:
    """GIVEN every code the engine declares WHEN its message is looked up THEN an app declares
    one with the same placeholders, and the Latvian catalogue translates it (all plural forms)."""
    catalogue = {(e.msgid, e.msgid_plural or None): e for e in polib.pofile(str(CATALOGUE))}
    problems = []
    for code, definition in sorted(_all_definitions().items()):
        message = MESSAGES.get(code)
        if message is None:
            problems.append(f"{code}: no message (add it to an app's explanations.py)")
            continue
        texts = _texts(message)
        wanted = definition.placeholders
        used = {name for text in texts for name in PLACEHOLDER.findall(text)}
        if used != wanted:
            problems.append(f"{code}: message names {sorted(used)}, engine gives {sorted(wanted)}")
        key = (texts[0], texts[1] if len(texts) > 1 else None)
        entry = catalogue.get(key)
        translations = ([entry.msgstr] if not entry.msgid_plural
                        else [entry.msgstr_plural.get(i, "") for i in range(3)]) if entry else []
        if not translations or not all(translations):
            problems.append(f"{code}: not translated into Latvian")
        elif any({n for n in PLACEHOLDER.findall(t)} != used for t in translations):
            problems.append(f"{code}: the Latvian text names other placeholders")
    assert problems == []


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_it_renders_every_code_in_the_language(lang: str) -> None:
    """GIVEN every code with a number for each parameter WHEN rendered in the language THEN the
    text has no placeholder left and, in Latvian, differs from the engine's English."""
    with translation.override(lang):
        for code, definition in sorted(_all_definitions().items()):
            params = {name: 3 for name in definition.placeholders}
            text = text_of(Explanation(code, params))
            assert "%(" not in text, code
            words = re.findall(r"[a-z]{2,}", PLACEHOLDER.sub("", definition.singular))
            if lang == "lv" and words:
                assert text != str(Explanation(code, params)), code


def test_it_formats_numbers_of_an_explanation_by_the_language() -> None:
    """GIVEN a TIME reason with fits 0.5 and 0.75 WHEN rendered in Latvian and English THEN the
    numbers read 0,50 and 0.50, and the words are Latvian and English."""
    from ictmerge.engine.systems.time_class import ABOVE_THRESHOLDS

    reason = explain(ABOVE_THRESHOLDS, functional=Number(0.5, 2), technical=Number(0.75, 2),
                     functional_threshold=Number(0.6, 2), technical_threshold=Number(0.5, 2))
    with translation.override("lv"):
        assert text_of(reason).startswith("patur; funkcionālā atbilstība 0,50")
    with translation.override("en"):
        assert text_of(reason).startswith("kept; functional fit 0.50, technical fit 0.75")
