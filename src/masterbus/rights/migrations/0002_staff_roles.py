"""The staff roles (support, finance, admin) as groups with their permissions (P20)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from masterbus.rights.roles import roles_sync


def create_roles(apps, schema_editor) -> None:
    # Permissions are normally created after the whole migrate run; the roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    roles_sync(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("rights", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("mastering", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
