"""What a user may see and change: the one place where scope is decided."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.apps import apps

from ictmerge.core.choices import Role

if TYPE_CHECKING:
    from django.db.models import QuerySet

_CACHE_ATTR = "_ictmerge_scope"


class SystemUser:
    """The system acting with every right: the CLI without --as. Not a stored user.

    None stands for nobody (sees nothing); a command that means the system passes this.
    Its writes are recorded as "system" (the history and jobs keep no user without a pk).
    """

    pk = None
    id = None
    username = "system"
    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_superuser = True
    is_staff = True

    def get_username(self) -> str:
        return self.username

    def __str__(self) -> str:
        return self.username


#: The one system stand-in (`ictmerge.cli.actor()` without --as).
SYSTEM_USER = SystemUser()


def _membership(user: Any) -> Any:
    from ictmerge.core.models import Membership

    try:
        return user.membership
    except (Membership.DoesNotExist, AttributeError):
        return None


def _county(municipality_id: int) -> set[int]:
    """The municipality and every former municipality that went into it."""
    # By name: core sits below reforms (as Membership's foreign key names the municipality).
    Succession = apps.get_model("reforms", "Succession")
    predecessors = Succession.objects.filter(new_id=municipality_id).values_list(
        "former_id", flat=True
    )
    return {municipality_id, *predecessors}


def scope(user: Any) -> tuple[set[int] | None, set[int] | None]:
    """(visible, writable) municipality ids for the user; None means all.

    No user (None) is anonymous and sees nothing, like a user who is not logged in.
    """
    if user is None:
        return (set(), set())
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    result: tuple[set[int] | None, set[int] | None]
    if not user.is_authenticated or not user.is_active:
        result = (set(), set())
    elif user.is_superuser:
        result = (None, None)
    else:
        membership = _membership(user)
        if membership is None:
            result = (set(), set())
        elif membership.role == Role.AUDITOR:
            result = (None, set())
        elif membership.role == Role.COUNTY_LEAD:
            county = _county(membership.municipality_id)
            result = (county, county)
        elif membership.role == Role.STEWARD:
            own = {membership.municipality_id}
            result = (own, set(own))
        else:  # viewer
            result = (_county(membership.municipality_id), set())
    setattr(user, _CACHE_ATTR, result)
    return result


def forget_scope(user: Any) -> None:
    """Drop the cached scope (after a membership changes)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def visible_ids(user: Any) -> set[int] | None:
    """Municipality ids whose records the user may read; None means all."""
    return scope(user)[0]


def writable_ids(user: Any) -> set[int] | None:
    """Municipality ids whose records the user may change; None means all."""
    return scope(user)[1]


def can_write_anything(user: Any) -> bool:
    """True when the user may change at least one municipality's records."""
    writable = writable_ids(user)
    return writable is None or bool(writable)


def may_view_county_summary(user: Any, county_ids: Iterable[int]) -> bool:
    """The cockpit of a county (its sums before and after, its plan's state; no record) is
    for those who see the county, and for a steward of one of its predecessors, who works
    towards that county's plan."""
    ids = set(county_ids)
    visible = visible_ids(user)
    if visible is None or (ids and ids <= visible):
        return True
    membership = _membership(user)
    return (membership is not None and membership.role == Role.STEWARD
            and membership.municipality_id in ids)


def may_act_on_every_county(user: Any) -> bool:
    """Operations over every county at once ("plan all") are for users who may change all.

    Their results (every county's systems, plans and money) would otherwise show a steward
    or a county lead what lies outside their scope.
    """
    return user is not None and writable_ids(user) is None


def visible_jobs(user: Any) -> Any:
    """Jobs a user may see: their own, and every job for those who see everything."""
    from ictmerge.core.models import Job

    if user is None or not user.is_authenticated:
        return Job.objects.none()
    if visible_ids(user) is None:
        return Job.objects.all()
    if getattr(user, "pk", None) is None:
        return Job.objects.none()
    return Job.objects.filter(user=user)


def may_see_reference_authors(user: Any) -> bool:
    """Who changed reference data is shown only to those who see everything (administrators
    and auditors); to others its history shows what changed, not who changed it."""
    return user is not None and visible_ids(user) is None


def visible_changes(changes: QuerySet[Any], user: Any) -> Any:
    """The change records a user may list: of records in their scope, and the changes of
    reference data (no municipality) only for those who see everything."""
    visible = visible_ids(user)
    if visible is None:
        return changes
    return changes.filter(municipality_id__in=visible)


def history_as_seen_by(changes: Any, user: Any) -> list[Any]:
    """A record's change records as the user may see them: the user names of reference
    data's changes left out unless may_see_reference_authors."""
    shown = list(changes)
    if not may_see_reference_authors(user):
        for change in shown:
            if change.municipality_id is None:
                change.user_name = ""
    return shown


def may_change_reference(user: Any) -> bool:
    """Reference data (reforms, municipalities, taxonomies) is changed by administrators."""
    return bool(user is not None and user.is_authenticated and user.is_superuser)


def may_change_municipality(user: Any, municipality_id: int | None) -> bool:
    """True when the user may write records owned by that municipality."""
    writable = writable_ids(user)
    if writable is None:
        return True
    return municipality_id is not None and municipality_id in writable


def restrict_queryset(queryset: QuerySet[Any], user: Any, action: str = "view") -> Any:
    """Keep the records of the queryset that the user may view or change."""
    model = queryset.model
    field = getattr(model, "scope_field", None)
    if user is None or not user.is_authenticated:
        return queryset.none()
    if field is None:
        if action == "view" or may_change_reference(user):
            return queryset
        return queryset.none()
    ids = visible_ids(user) if action == "view" else writable_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{field}__in": ids})


def restrict_related(queryset: QuerySet[Any], user: Any, action: str) -> Any:
    """Related records a user may pick: municipalities by the user's scope, others by theirs."""
    if queryset.model._meta.label == "reforms.Municipality":
        ids = visible_ids(user) if action == "view" else writable_ids(user)
        return queryset if ids is None else queryset.filter(pk__in=ids)
    return restrict_queryset(queryset, user, action)
