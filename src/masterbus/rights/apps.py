from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class RightsConfig(AppConfig):
    name = "masterbus.rights"
    label = "rights"
    verbose_name = "Rights and staff"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from masterbus.rights.receivers import sync_roles_after_migrate

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="rights.sync_roles")


class AuditedAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the audited site (every admin action logged, P20)."""

    default = False  # named explicitly in INSTALLED_APPS; RightsConfig is this module's default
    default_site = "masterbus.rights.audit.AuditedAdminSite"
