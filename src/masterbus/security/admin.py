"""The security log for the admin role only (P17, P20): support and finance have no permission
to view it, and nobody edits it."""

from django.contrib import admin

from masterbus.core.admin_views import ReadOnlyAdmin
from masterbus.security.models import SecurityEvent


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "user", "browser", "ip_hash")
    list_filter = ("kind",)
    search_fields = ("user__email", "ip_hash")
    date_hierarchy = "created_at"
    raw_id_fields = ("user",)
