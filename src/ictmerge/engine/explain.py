"""Explanations as codes with parameters: the engine says why, the web layer says it in a language.

The engine stays pure: it returns an `Explanation` (a code such as "time.invest" and its
parameters) instead of an English sentence. Every code is declared once with `define()`,
with its English text, so that the CLI, logs and tests can still read it (`str()`), while the
Django layer (ictmerge.core.explanations) maps the same code to a translatable message.

Parameters are texts (names, ids: never translated), whole numbers, `Number`s (a decimal
with the places to show), `Names` (a name the data holds in both languages) or other
explanations (e.g. a TIME label inside a reason). Texts use
%-style placeholders, "%(hosts)s", as gettext catalogues do.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

#: A placeholder of a declared text: %(name)s.
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@dataclass(frozen=True)
class Number:
    """A decimal number and the places to show it with (0.5 shown as 0.50)."""

    value: float
    places: int = 0


@dataclass(frozen=True)
class Definition:
    """The English text of a code; with a plural when it counts something (`count` names it)."""

    code: str
    singular: str
    plural: str | None = None
    count: str | None = None

    @property
    def placeholders(self) -> frozenset[str]:
        """The parameter names the texts use."""
        texts = [self.singular] + ([self.plural] if self.plural else [])
        return frozenset(name for text in texts for name in PLACEHOLDER.findall(text))


@dataclass(frozen=True)
class Names:
    """A name the data holds in English and Latvian (a function, a criterion): the reader's."""

    en: str
    lv: str = ""

    def __str__(self) -> str:
        return self.en


Param: TypeAlias = "str | int | Number | Names | Explanation"

#: Every code the engine can return, by code, filled by define() at import.
DEFINITIONS: dict[str, Definition] = {}


@dataclass(frozen=True)
class Explanation:
    """Why the engine decided something: a declared code and the values it names."""

    code: str
    params: Mapping[str, Param] = field(default_factory=dict)

    def __str__(self) -> str:
        return english(self)


def define(code: str, singular: str, plural: str | None = None,
           count: str | None = None) -> Definition:
    """Declare a code with its English text (and plural, counted by the parameter `count`)."""
    if (plural is None) != (count is None):
        raise ValueError(f"explanation {code!r}: a plural needs the parameter it counts")
    definition = Definition(code, singular, plural, count)
    known = DEFINITIONS.setdefault(code, definition)
    if known != definition:
        raise ValueError(f"explanation {code!r} is declared twice with different texts")
    return definition


def explain(definition: Definition, **params: Param) -> Explanation:
    """An explanation of a declared code; every placeholder of its text must be given."""
    missing = definition.placeholders - params.keys()
    if missing:
        raise ValueError(f"explanation {definition.code!r}: missing {sorted(missing)}")
    return Explanation(definition.code, params)


def english_number(value: int | Number) -> str:
    """A number as the English text shows it: 96,581 and 0.53."""
    if isinstance(value, Number):
        return f"{value.value:,.{value.places}f}"
    return f"{value:,}"


def english(explanation: Explanation) -> str:
    """The English text of an explanation (for the CLI, logs, and codes no catalogue knows)."""
    definition = DEFINITIONS.get(explanation.code)
    if definition is None:
        return explanation.code
    text = definition.singular
    if definition.plural is not None and definition.count is not None:
        counted = explanation.params.get(definition.count)
        amount = counted.value if isinstance(counted, Number) else counted
        if amount != 1:
            text = definition.plural
    return text % {name: _english_param(value) for name, value in explanation.params.items()}


def _english_param(value: Param) -> str:
    if isinstance(value, Explanation):
        return english(value)
    if isinstance(value, (int, Number)) and not isinstance(value, bool):
        return english_number(value)
    return str(value)


def joined(explanations: Iterable[Explanation], separator: str = "; ") -> str:
    """Several explanations as one English text."""
    return separator.join(english(e) for e in explanations)


# --- JSON (stored results, task titles) ----------------------------------------------------


def to_json(explanation: Explanation) -> dict[str, Any]:
    """An explanation as JSON: {"code": ..., "params": {...}} (numbers as {"n", "places"})."""
    return {"code": explanation.code,
            "params": {name: _param_json(value) for name, value in explanation.params.items()}}


def _param_json(value: Param) -> Any:
    if isinstance(value, Explanation):
        return to_json(value)
    if isinstance(value, Number):
        return {"n": value.value, "places": value.places}
    if isinstance(value, Names):
        return {"en": value.en, "lv": value.lv}
    return value


def from_json(data: Mapping[str, Any]) -> Explanation:
    """The explanation that to_json() wrote."""
    return Explanation(str(data["code"]),
                       {name: _param_from_json(value)
                        for name, value in dict(data.get("params") or {}).items()})


def _param_from_json(value: Any) -> Param:
    if isinstance(value, Mapping):
        if "code" in value:
            return from_json(value)
        if "en" in value:
            return Names(str(value["en"]), str(value.get("lv") or ""))
        return Number(float(value["n"]), int(value.get("places", 0)))
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return Number(value, 2)
    return str(value)
