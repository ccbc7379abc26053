"""The software register's record types as resources (pages, API, exports)."""

from django.utils.translation import gettext_lazy as _

from ictmerge.core.navigation import MenuItem, add_menu_item
from ictmerge.core.resources import Resource, register
from ictmerge.software.models import TitleRule

title_rules = register(Resource(
    model=TitleRule, slug="software-rules",
    fields=("municipality", "match", "pattern", "publisher", "vendor", "product",
            "major_version", "category", "notes"),
    list_columns=("pattern", "match", "publisher", "vendor", "product", "category",
                  "municipality"),
    filter_fields=("municipality", "match", "category", "vendor"),
    search_fields=("pattern", "publisher", "vendor", "product"),
    select_related=("municipality",), read_only_fields=("shared",),
    menu_group=_("Discovery"), menu_order=36, ordering=("vendor", "product", "pattern", "pk"),
))

for item in (
    MenuItem(_("Discovery"), _("Licence position"), "software_position_index", 37),
    MenuItem(_("Discovery"), _("Software review queue"), "software_review", 38),
    MenuItem(_("Discovery"), _("Normalise installations"), "software_normalise", 39),
):
    add_menu_item(item)
