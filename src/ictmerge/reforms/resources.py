"""The reform register's record types as resources (pages, API, exports)."""

from django.utils.translation import gettext_lazy as _

from ictmerge.core.navigation import MenuItem, add_menu_item
from ictmerge.core.resources import Resource, register
from ictmerge.reforms.models import Municipality, Reform, Succession

REGISTER = _("Reform register")

reforms = register(Resource(
    model=Reform, slug="reforms",
    fields=("code", "name", "country", "effective_date", "description", "source"),
    list_columns=("name", "code", "country", "effective_date"),
    filter_fields=("country",), search_fields=("name", "code"),
    menu_group=REGISTER, menu_order=10, ordering=("-effective_date", "code"),
))

municipalities = register(Resource(
    model=Municipality, slug="municipalities",
    fields=("reform", "code", "name", "stage", "kind", "iso_code", "population",
            "population_date", "population_quality", "population_source",
            "total_expenditure_eur", "valid_from", "valid_to"),
    list_columns=("name", "code", "stage", "kind", "population", "reform"),
    filter_fields=("reform", "stage", "kind"), search_fields=("name", "code"),
    select_related=("reform",), menu_group=REGISTER, menu_order=11, ordering=("name", "pk"),
))

successions = register(Resource(
    model=Succession, slug="successions",
    fields=("reform", "former", "new", "part", "share", "share_basis", "note"),
    list_columns=("former", "new", "part", "share", "reform"),
    filter_fields=("reform", "new", "former"), search_fields=("former__name", "new__name"),
    select_related=("reform", "former", "new"), menu_group=REGISTER, menu_order=12,
    ordering=("former__name", "new__name"),
))

add_menu_item(MenuItem(group=REGISTER, label=_("Import a reform"), url_name="reform_import",
                       order=13))
