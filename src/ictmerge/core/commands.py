"""What every app's commands share: the consoles, the acting user, failing with a message.

Each app's `cli.py` takes these from here; `ictmerge.cli` (the root that wires every app's
commands) sets Django up before it imports them and sets the acting user from --as. This
module is imported before Django is set up, so it imports no models at module level.
"""

from __future__ import annotations

import os
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from ictmerge.core.scoping import SYSTEM_USER

console = Console()
err_console = Console(stderr=True)

_state: dict[str, Any] = {"actor": None}


def setup_django() -> None:
    """Configure Django once (the development settings unless told otherwise)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ictmerge.settings.dev")
    import django
    from django.apps import apps as django_apps

    if not django_apps.ready:
        django.setup()


def use_actor(username: str | None) -> None:
    """Record the rest of the writes under the named user (the system user when None)."""
    # Imported here: this module is imported before Django is set up (see above).
    from django.contrib.auth import get_user_model

    from ictmerge.core.history import set_actor

    _state["actor"] = None
    if username:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            fail(f"no user named '{username}'")
        _state["actor"] = user
    set_actor(_state["actor"])


def actor() -> Any:
    """The user the command acts as: --as, or the system user (every right, recorded as
    "system") when none is given. Never None, which scoping reads as nobody."""
    return _state["actor"] or SYSTEM_USER


def fail(message: str, code: int = 1) -> None:
    """Print an error and stop with a non-zero exit code.

    One line whatever the terminal's width (soft wrap), so a file, row and field stay together
    for grep; the message is escaped, so a path or title with [brackets] prints as written."""
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def require_every_county() -> None:
    """Stop unless the acting user may work on every county at once (administrators)."""
    from ictmerge.core.scoping import may_act_on_every_county

    if not may_act_on_every_county(actor()):
        fail("only an administrator may work on every county at once (--all)")
