"""The core app: roles, scoping, change history, jobs, generic views and API."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Wires the change-history signals and loads every app's resources."""

    name = "ictmerge.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from ictmerge.core import history, jobs
        from ictmerge.core.api import typed  # noqa: F401  (registers the schema extension)

        history.connect_signals()
        jobs.autodiscover("resources")
        jobs.autodiscover("jobs")
        jobs.autodiscover("explanations")
