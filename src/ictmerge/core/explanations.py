"""The engine's explanations in the reader's language: code → translatable message.

Every app that shows explanations of the engine declares their messages in its own
`explanations.py` (found at start-up, like `resources.py`) with `register()`: the same
%-placeholders as the engine's English text, translated in the catalogue. `text_of()` gives
the text in the active language, numbers formatted by Django's localisation; a code no app
declares falls back to the engine's English (tests/test_explanations.py keeps that from
happening).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext, ngettext

from ictmerge.engine.explain import Explanation, Names, Number, Param, english, from_json


@dataclass(frozen=True)
class Plural:
    """A message that counts: Latvian has three forms, chosen by ngettext from `count`."""

    singular: str
    plural: str
    count: str


#: The message of every code, by code (lazy texts or plurals), filled by register().
MESSAGES: dict[str, Promise | str | Plural] = {}


def register(messages: Mapping[str, Promise | str | Plural]) -> None:
    """Declare the messages of some codes (called from an app's explanations.py)."""
    for code, message in messages.items():
        if code in MESSAGES and MESSAGES[code] != message:
            raise ValueError(f"explanation {code!r} has two messages")
        MESSAGES[code] = message


def localised_number(value: int | float | Number) -> str:
    """A number as the active language writes it: 96 581 and 0,53 in Latvian."""
    if isinstance(value, Number):
        return number_format(value.value, decimal_pos=value.places, force_grouping=True)
    return number_format(value, force_grouping=True)


def _param(value: Param) -> str:
    if isinstance(value, Explanation):
        return text_of(value)
    if isinstance(value, Names):
        return value.lv if (get_language() or "").startswith("lv") and value.lv else value.en
    if isinstance(value, Number) or (isinstance(value, int) and not isinstance(value, bool)):
        return localised_number(value)
    return str(value)


def _count(value: Param | None) -> int:
    if isinstance(value, Number):
        return int(value.value) if value.value == int(value.value) else 2
    return value if isinstance(value, int) else 2


def text_of(explanation: Explanation | Mapping[str, Any] | str) -> str:
    """The explanation in the active language (a plain text, e.g. an old stored one, as is)."""
    if isinstance(explanation, str):
        return explanation
    if not isinstance(explanation, Explanation):
        explanation = from_json(explanation)
    message = MESSAGES.get(explanation.code)
    if message is None:
        return english(explanation)
    params = {name: _param(value) for name, value in explanation.params.items()}
    if isinstance(message, Plural):
        text = ngettext(message.singular, message.plural,
                        _count(explanation.params.get(message.count)))
    else:
        text = gettext(str(message)) if isinstance(message, str) else str(message)
    return text % params


def joined_text(explanations: Iterable[Explanation | Mapping[str, Any] | str],
               separator: str = "; ") -> str:
    """Several explanations as one text in the active language."""
    return separator.join(text_of(e) for e in explanations)
