"""The platform in this process, on a throwaway data directory: for benches that time Django code
without a server (SQLite, the embedded default)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def throwaway_platform(name: str) -> Iterator[None]:
    """Set Django up on a fresh, migrated database under a temporary folder, removed afterwards."""
    data_dir = tempfile.mkdtemp(prefix=f"masterbus-{name}-bench-")
    try:
        os.environ["MASTERBUS_DATA_DIR"] = data_dir
        os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masterbus.config.settings.local")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        yield
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
