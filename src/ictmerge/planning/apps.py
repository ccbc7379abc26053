"""The planning app: governance alternatives, the action plan and its schedule, the budget."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from ictmerge.core.navigation import MenuItem, add_menu_item


class PlanningConfig(AppConfig):
    """Governance, action plan, schedule and budget of every new municipality."""

    name = "ictmerge.planning"
    label = "planning"
    verbose_name = "Planning"

    def ready(self) -> None:
        # Here: these modules import the models, loaded only once every app is ready.
        from ictmerge.planning.documents import register_sections
        from ictmerge.planning.services import register_provider

        register_provider()
        register_sections()
        add_menu_item(MenuItem(group=_("Planning"), label=_("Governance, action plans, budgets"),
                               url_name="planning_index", order=1))
