"""The layers stay visible: imports of other ictmerge apps sit at module level.

import-linter (`make lint`, contracts in pyproject.toml) checks that every app imports only
the apps below it; an import hidden inside a function would still count there, but it hides
a dependency from a reader of the module's head and, often, a cycle. So no module imports
another app inside a function, except where listed below with the reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SOURCE / "ictmerge"

#: (module, function) → why an import of another app must stay inside that function. None
#: today: AppConfig.ready imports its own app's services there (they import the models),
#: and the apps' commands are imported after Django is set up (ictmerge.cli).
EXCEPTIONS: dict[tuple[str, str], str] = {}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SOURCE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _app(module: str) -> str:
    """The app (or top-level module) a dotted ictmerge module belongs to."""
    return module.split(".")[1] if module.count(".") else module


def _target(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")[: None if is_package else -1]
    base = base[: len(base) - node.level + 1]
    return ".".join([*base, *([node.module] if node.module else [])])


def _modules() -> list[Path]:
    """Every module of the package but the tests and the migrations (not part of the layers)."""
    return sorted(p for p in PACKAGE.rglob("*.py")
                  if not {"tests", "migrations"} & set(p.relative_to(PACKAGE).parts))


def function_imports_of_other_apps(module: str, source: str, is_package: bool = False
                                   ) -> list[tuple[str, str, int]]:
    """(function, imported module, line) of each import of another ictmerge app inside a
    function of the module's source."""
    found: list[tuple[str, str, int]] = []

    def visit(node: ast.AST, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, function or child.name)
                continue
            if function is not None:
                targets: list[str] = []
                if isinstance(child, ast.ImportFrom):
                    targets = [_target(module, is_package, child)]
                elif isinstance(child, ast.Import):
                    targets = [alias.name for alias in child.names]
                found.extend((function, target, child.lineno) for target in targets
                             if target.startswith("ictmerge.")
                             and _app(target) != _app(module))
            visit(child, function)

    visit(ast.parse(source), None)
    return found


def _hidden_imports(path: Path) -> list[tuple[str, str, int]]:
    return function_imports_of_other_apps(_module_name(path), path.read_text(encoding="utf-8"),
                                          path.name == "__init__.py")


def test_it_finds_an_import_of_another_app_inside_a_function() -> None:
    """GIVEN a module importing another app inside a function, and its own app there too WHEN
    scanned THEN only the other app's import is found."""
    source = ("from ictmerge.core import scoping\n\n\ndef f():\n"
              "    from ictmerge.reports import services\n"
              "    from ictmerge.review import models\n"
              "    from . import choices\n"
              "    from ..reports import charts\n")
    assert function_imports_of_other_apps("ictmerge.review.probe", source) == [
        ("f", "ictmerge.reports", 5), ("f", "ictmerge.reports", 8)]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: _module_name(p))
def test_it_imports_other_apps_at_module_level_only(path: Path) -> None:
    """GIVEN a module of ictmerge WHEN its functions are read THEN none imports another app,
    outside the listed exceptions."""
    module = _module_name(path)
    hidden = [f"{module}.{function} imports {target} (line {line})"
              for function, target, line in _hidden_imports(path)
              if (module, function) not in EXCEPTIONS]
    assert not hidden, "\n".join(hidden)


def test_it_lists_only_exceptions_that_are_still_needed() -> None:
    """GIVEN the exceptions WHEN the modules are read THEN each one still imports another app
    inside the named function (a stale exception is removed)."""
    used = {(_module_name(path), function)
            for path in _modules() for function, _target, _line in _hidden_imports(path)}
    assert set(EXCEPTIONS) <= used, set(EXCEPTIONS) - used
