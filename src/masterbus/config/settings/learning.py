"""Settings of the learning, shop and assistant apps (training, courses, community, shop,
assistant): each app its own section, every value overridable from the environment."""

from __future__ import annotations

from masterbus.config.settings.environment import env, env_bool, env_int  # noqa: F401

# Ear training (masterbus.training).

# Courses (masterbus.courses).

# Community feed (masterbus.community).

# Shop and licences (masterbus.shop).

# Assistant (masterbus.assistant).
