"""`masterbus serve`, `masterbus worker` and `masterbus manage`."""

from __future__ import annotations

import os

DEFAULT_SETTINGS = "masterbus.config.settings.local"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    import django

    django.setup()


def manage(argv: list[str]) -> int:
    """Run a Django management command, e.g. ``masterbus manage createsuperuser``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["masterbus manage", *argv])
    return 0
