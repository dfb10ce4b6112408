"""Engineers and orders for staff (P20: every action below is written to the audit log by the
audited admin site). Records are read-only here: changes go through the services, so staff
approve engineers and settle disputes with the actions, never by editing a row."""

from __future__ import annotations

from django.contrib import admin, messages

from masterbus.core.admin_views import ReadOnlyAdmin
from masterbus.core.errors import DomainError
from masterbus.orders.models import EngineerProfile, Order
from masterbus.orders.services.engineers import engineer_approve
from masterbus.orders.services.workflow import order_settle


@admin.register(EngineerProfile)
class EngineerProfileAdmin(ReadOnlyAdmin):
    list_display = ("display_name", "user", "applied_at", "approved_at")
    list_filter = ("approved_at",)
    fields = ("display_name", "user", "services", "genres", "bio", "credits", "applied_at",
              "approved_at", "approved_by")  # fmt: skip
    readonly_fields = fields
    actions = ("approve",)

    @admin.action(description="Approve as engineers")
    def approve(self, request, queryset) -> None:
        done = sum(engineer_approve(profile=p, staff_user=request.user) for p in queryset)
        self.message_user(request, f"{done} engineer(s) approved.", messages.SUCCESS)


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ("title", "status", "total", "currency", "created_at", "due_at")
    list_filter = ("status",)
    fields = ("title", "service", "status", "client", "engineer", "currency", "total",
              "platform_fee", "engineer_share", "revisions_included", "revisions_used",
              "created_at", "paid_at", "due_at", "delivered_at", "closed_at")  # fmt: skip
    readonly_fields = fields
    actions = ("settle_for_engineer", "settle_for_client")

    @admin.action(description="Settle dispute: approve and pay the engineer")
    def settle_for_engineer(self, request, queryset) -> None:
        self._settle(request, queryset, release=True)

    @admin.action(description="Settle dispute: refund the client in full")
    def settle_for_client(self, request, queryset) -> None:
        self._settle(request, queryset, release=False)

    def _settle(self, request, queryset, *, release: bool) -> None:
        for order in queryset:
            try:
                order_settle(order=order, release=release)
            except DomainError as exc:
                self.message_user(request, f"{order.title}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, f"{order.title}: settled.", messages.SUCCESS)
