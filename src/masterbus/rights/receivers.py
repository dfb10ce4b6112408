"""Signal receivers: thin hooks that call services."""

from __future__ import annotations

from django.apps import apps as global_apps

from masterbus.rights.roles import roles_sync


def sync_roles_after_migrate(sender, apps=global_apps, **_: object) -> None:
    # After every app's migrate: permissions of models added later reach the admin role, and the
    # groups come back after a test database flush (which sends no ``apps``).
    roles_sync(apps=apps)
