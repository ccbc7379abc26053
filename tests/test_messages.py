"""Translatable strings survive extraction whole and carry no accidental format directive.

`makemessages` reads templates through Django's templatize and Python through xgettext: a
backslash-escaped quote inside {% translate "…" %} cuts the msgid there, and a bare "% o"
in a Python string is a python-format directive that msgfmt then demands of the translation.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.utils.translation.template import templatize

SOURCE = Path(__file__).resolve().parents[1] / "src" / "ictmerge"
GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop", "pgettext", "pgettext_lazy",
           "ngettext", "ngettext_lazy", "npgettext", "npgettext_lazy"}
#: A Python %-format directive as xgettext recognises one.
DIRECTIVE = re.compile(r"%(\([^)]*\))?[#0\- +]*(\*|\d+)?(\.(\*|\d+))?[hlL]?([diouxXeEfFgGcrsa%])")
EXTRACTED = re.compile(r"gettext\(u'((?:[^'\\]|\\.)*)'\)")


def accidental_directives(message: str) -> list[str]:
    """Directives that are neither named (%(name)s) nor an escaped percent sign (%%)."""
    return [m.group(0) for m in DIRECTIVE.finditer(message)
            if m.group(1) is None and m.group(5) != "%"]


def _python_messages() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in GETTEXT:
                found.extend((str(path.relative_to(SOURCE)), node.lineno, arg.value)
                             for arg in node.args
                             if isinstance(arg, ast.Constant) and isinstance(arg.value, str))
    return found


def _template_messages() -> list[tuple[str, str]]:
    return [(str(path.relative_to(SOURCE)), match.group(1))
            for path in sorted(SOURCE.rglob("templates/**/*.html"))
            for match in EXTRACTED.finditer(templatize(path.read_text(encoding="utf-8")))]


def test_it_finds_an_accidental_directive_and_passes_named_ones() -> None:
    assert accidental_directives("ICT spend as % of total expenditure") == ["% o"]
    assert accidental_directives("CPU %(cpu)s %% of %(total)s, RAM (%)") == []


def test_no_python_message_has_an_accidental_format_directive() -> None:
    messages = _python_messages()
    assert len(messages) > 500  # the scan reads the project's messages
    bad = [(path, line, text[:80]) for path, line, text in messages
           if accidental_directives(text)]
    assert bad == []


def test_no_template_message_is_cut_at_a_backslash() -> None:
    messages = _template_messages()
    assert len(messages) > 500
    assert any("“To Be Filled By O.E.M.”" in text and text.endswith("are ignored.")
               for _path, text in messages)
    bad = [(path, text[:80]) for path, text in messages if text.endswith("\\\\")]
    assert bad == []
    assert [(path, text[:80]) for path, text in messages if accidental_directives(text)] == []


def test_it_would_see_a_cut_message() -> None:
    cut = EXTRACTED.findall(templatize('{% load i18n %}{% translate "A (\\"x\\") b." %}'))
    assert cut and cut[0].endswith("\\\\")
