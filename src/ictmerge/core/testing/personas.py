"""Named personas over a small, made-up reform (nothing here assumes Latvia)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from ictmerge.core.choices import Role
from ictmerge.core.models import Membership
from ictmerge.reforms.models import Municipality, Reform, Succession

PASSWORD = "persona-password"


@dataclass
class World:
    """A reform with two new municipalities and the personas who work on it."""

    reform: Any
    north: Any  # new municipality: former_a + former_b
    south: Any  # new municipality: former_c
    former_a: Any
    former_b: Any
    former_c: Any
    users: dict[str, Any]


PERSONAS = ("admin", "auditor", "lead", "steward", "viewer", "outsider")


def make_world() -> World:
    """Create the reform, its municipalities and one user per persona."""
    reform = Reform.objects.create(code="test-reform", name="Test reform", country="XX",
                                   effective_date=dt.date(2021, 7, 1))

    def unit(code: str, name: str, stage: str, population: int) -> Any:
        return Municipality.objects.create(reform=reform, code=code, name=name, stage=stage,
                                           kind="unit", population=population)

    former_a = unit("A", "Former A", "former", 10000)
    former_b = unit("B", "Former B", "former", 5000)
    former_c = unit("C", "Former C", "former", 8000)
    north = unit("N", "New North", "new", 15000)
    south = unit("S", "New South", "new", 8000)
    for former, new in ((former_a, north), (former_b, north), (former_c, south)):
        Succession.objects.create(reform=reform, former=former, new=new, share=Decimal(1))
    User = get_user_model()
    users: dict[str, Any] = {}
    memberships = {
        "auditor": (Role.AUDITOR, None),
        "lead": (Role.COUNTY_LEAD, north),
        "steward": (Role.STEWARD, former_a),
        "viewer": (Role.VIEWER, north),
        "outsider": (Role.STEWARD, former_c),
    }
    admin = User.objects.create_user("admin", password=PASSWORD, is_superuser=True,
                                     is_staff=True)
    users["admin"] = admin
    for name, (role, municipality) in memberships.items():
        user = User.objects.create_user(name, password=PASSWORD)
        Membership.objects.create(user=user, role=role, municipality=municipality)
        users[name] = user
    return World(reform, north, south, former_a, former_b, former_c, users)


#: For a record owned by former_a: may the persona read it, and may it write it?
READS_FORMER_A = {"admin": True, "auditor": True, "lead": True, "steward": True,
                  "viewer": True, "outsider": False}
WRITES_FORMER_A = {"admin": True, "auditor": False, "lead": True, "steward": True,
                   "viewer": False, "outsider": False}
WRITES_REFERENCE = {p: p == "admin" for p in PERSONAS}
#: For a record owned by the new municipality North (A + B), such as a county plan.
READS_NORTH = {"admin": True, "auditor": True, "lead": True, "steward": False,
               "viewer": True, "outsider": False}
WRITES_NORTH = {"admin": True, "auditor": False, "lead": True, "steward": False,
                "viewer": False, "outsider": False}
