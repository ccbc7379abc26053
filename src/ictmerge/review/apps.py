"""The review app."""

from django.apps import AppConfig


class ReviewConfig(AppConfig):
    """The review app."""

    name = "ictmerge.review"
    label = "review"
    verbose_name = "Review"
