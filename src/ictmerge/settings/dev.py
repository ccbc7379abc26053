"""Development profile: the default for a fresh checkout."""

from ictmerge.settings.base import *  # noqa: F403
from ictmerge.settings.env import env_bool

DEBUG = env_bool("DEBUG", True)
