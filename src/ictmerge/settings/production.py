"""Production profile: passes `manage.py check --deploy` when SECRET_KEY is set."""

from ictmerge.settings.base import *  # noqa: F403
from ictmerge.settings.env import env_bool, env_int

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
ICTMERGE_AUTO_HANDOVER = env_bool("ICTMERGE_AUTO_HANDOVER", True)
WHITENOISE_USE_FINDERS = False
