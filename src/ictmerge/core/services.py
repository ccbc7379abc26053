"""Core operations: users and their roles."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count

from ictmerge.core.choices import Role
from ictmerge.core.models import Membership


class UserError(Exception):
    """A user could not be created; the message says why."""


def _municipalities() -> Any:
    """The municipality model, as Membership's foreign key names it (core sits below reforms)."""
    return Membership._meta.get_field("municipality").related_model


@transaction.atomic
def create_user(
    username: str,
    role: str,
    municipality_code: str | None,
    *,
    reform: str | None = None,
    password: str | None = None,
    email: str = "",
    superuser: bool = False,
) -> tuple[Any, str]:
    """Create a user with a role; returns the user and the password."""
    Municipality = _municipalities()
    if role not in Role.values:
        raise UserError(f"unknown role '{role}' (choose from {', '.join(Role.values)})")
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise UserError(f"a user named '{username}' exists")
    municipality = None
    if role != Role.AUDITOR:
        if not municipality_code:
            raise UserError(f"the role {role} needs --municipality CODE")
        candidates = Municipality.objects.filter(code=municipality_code)
        if reform:
            candidates = candidates.filter(reform__code=reform)
        if role == Role.COUNTY_LEAD:
            candidates = candidates.filter(stage="new")
        if role == Role.STEWARD:
            candidates = candidates.filter(stage="former")
        found = list(candidates[:2])
        if not found:
            raise UserError(f"no municipality with code '{municipality_code}' fits the role {role}")
        if len(found) > 1:
            raise UserError(f"code '{municipality_code}' is in several reforms; add --reform")
        municipality = found[0]
    secret = password or secrets.token_urlsafe(12)
    user = User.objects.create_user(username=username, password=secret, email=email,
                                    is_superuser=superuser, is_staff=superuser)
    Membership.objects.create(user=user, role=role, municipality=municipality)
    return user, secret


DEMO_PASSWORD = "demo"  # nosec B105 # the documented password of the demo logins only


def ensure_demo_logins() -> list[tuple[str, str, str]]:
    """Demo logins for a local demo: an administrator-auditor and a county lead."""
    Municipality = _municipalities()
    User = get_user_model()
    logins = []
    admin, _ = User.objects.get_or_create(username="demo")
    admin.is_superuser = admin.is_staff = True
    admin.set_password(DEMO_PASSWORD)
    admin.save()
    Membership.objects.update_or_create(user=admin, defaults={"role": Role.AUDITOR,
                                                              "municipality": None})
    logins.append(("demo", DEMO_PASSWORD, "auditor and administrator (sees and edits all)"))
    # The county with the most predecessors shows the merge best.
    county = (Municipality.objects.filter(stage="new")
              .annotate(predecessor_count=Count("predecessors"))
              .order_by("-predecessor_count", "name").first())
    if county is not None:
        lead, _ = User.objects.get_or_create(username="lead")
        lead.set_password(DEMO_PASSWORD)
        lead.save()
        Membership.objects.update_or_create(user=lead, defaults={"role": Role.COUNTY_LEAD,
                                                                 "municipality": county})
        logins.append(("lead", DEMO_PASSWORD, f"county lead of {county.name}"))
    return logins
