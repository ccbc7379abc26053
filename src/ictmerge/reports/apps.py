"""Reports: the national view and the county view, recomputed from records."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from ictmerge.core.navigation import MenuItem, add_menu_item


class ReportsConfig(AppConfig):
    """National and county reports."""

    name = "ictmerge.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        add_menu_item(MenuItem(group=_("Reports"), label=_("National view"),
                               url_name="national", order=1))
