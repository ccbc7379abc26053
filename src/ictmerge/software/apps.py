"""The software app."""

from django.apps import AppConfig


class SoftwareConfig(AppConfig):
    """The software app."""

    name = "ictmerge.software"
    label = "software"
    verbose_name = "Software"

    def ready(self) -> None:
        from ictmerge.software import portfolio, services

        portfolio.register_provider()
        services.register_matcher()
