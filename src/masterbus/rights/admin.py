"""Staff screens: the rights-request queue (P34), account deletions (P7, P32), audit log (P20)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.html import format_html

from masterbus.accounts.models import User
from masterbus.core.admin_views import ReadOnlyAdmin
from masterbus.rights.deletion import account_delete
from masterbus.rights.models import AccountDeletion, AuditEvent, RightsRequest
from masterbus.rights.rights_requests import rights_request_set_status


@admin.register(RightsRequest)
class RightsRequestAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "email", "status", "due", "handled_by")
    list_filter = ("status", "kind")
    search_fields = ("email",)
    fields = ("kind", "email", "user", "message", "created_at", "due", "status", "staff_note",
              "handled_by", "handled_at", "reminded_at")  # fmt: skip
    readonly_fields = ("kind", "email", "user", "message", "created_at", "due", "handled_by",
                       "handled_at", "reminded_at")  # fmt: skip

    @admin.display(description="answer due", ordering="created_at")
    def due(self, obj: RightsRequest) -> str:
        if obj.is_overdue:
            return format_html("<strong class=\"overdue\">{} (overdue)</strong>",
                               f"{obj.due_at:%Y-%m-%d}")  # fmt: skip
        return f"{obj.due_at:%Y-%m-%d}"

    def has_add_permission(self, request) -> bool:
        return False  # requests come from the public form

    def save_model(self, request, obj, form, change) -> None:
        rights_request_set_status(request=obj, status=obj.status, staff=request.user)


class AccountDeletionForm(forms.ModelForm):
    class Meta:
        model = AccountDeletion
        fields = ("user", "reason")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True, deletion=None)


@admin.register(AccountDeletion)
class AccountDeletionAdmin(admin.ModelAdmin):
    """Staff delete an account (a child's, P7, or on a request by email) through the same
    service as the self-serve deletion: sign-out and deactivation now, purge after the window."""

    form = AccountDeletionForm
    list_display = ("user", "reason", "requested_at", "purge_after")
    list_filter = ("reason",)
    raw_id_fields = ("user",)

    def get_readonly_fields(self, request, obj=None):
        return ("user", "reason", "requested_at", "purge_after") if obj else ()

    def save_model(self, request, obj, form, change) -> None:
        if change:
            return
        deletion = account_delete(user=obj.user, reason=obj.reason)
        obj.pk, obj.requested_at = deletion.pk, deletion.requested_at

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the account is already deactivated and signed out: nothing to undo


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only, and only for the admin role (``rights.view_auditevent``)."""

    list_display = ("created_at", "actor_label", "action", "action_name", "content_type",
                    "object_repr", "changed_fields")  # fmt: skip
    list_filter = ("action", "content_type")
    search_fields = ("actor_label", "object_repr", "object_id")
    date_hierarchy = "created_at"
