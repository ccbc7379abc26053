"""Test profile: fast hashing, tasks run at once."""

from ictmerge.settings.base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests sign in with force_login and Client.login (no request for django-axes to read);
# the throttling test turns it on.
AXES_ENABLED = False
# Each test process its own report cache (reports.services caches nothing inside a test's
# transaction; the cache tests use transactional tests).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "reports": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "ictmerge-reports"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
              "LOCATION": "ictmerge-pages"},
}
