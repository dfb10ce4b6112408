"""Local default: `make run` on one machine with SQLite and files under var/."""

from masterbus.config.settings.base import *  # noqa: F403
from masterbus.config.settings.base import env, env_bool

# A fixed development key is fine for a machine that only listens on 127.0.0.1.
SECRET_KEY = env("DJANGO_SECRET_KEY", "masterbus-local-development-key-not-for-production")
DEBUG = env_bool("DJANGO_DEBUG", False)
