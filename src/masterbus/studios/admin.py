"""Staff screens: studios (approve applications; the approval is audited by the service too) and
bookings, read-only (they change only through their state machine)."""

from __future__ import annotations

from django.contrib import admin

from masterbus.core.admin_views import ReadOnlyAdmin
from masterbus.studios.models import Booking, Studio
from masterbus.studios.services.studios import studio_approve


@admin.register(Studio)
class StudioAdmin(admin.ModelAdmin):
    list_display = ("name", "city", "time_zone", "owner", "approved_at")
    list_filter = ("approved_at", "city")
    search_fields = ("name", "city", "owner__email")
    readonly_fields = ("owner", "created_at", "approved_at")
    actions = ("approve",)

    def has_add_permission(self, request) -> bool:
        return False  # owners apply through "Add your studio"

    @admin.action(description="Approve the selected applications")
    def approve(self, request, queryset) -> None:
        approved = sum(studio_approve(staff_user=request.user, studio=s) for s in queryset)
        self.message_user(request, f"{approved} studio(s) approved.")


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ("starts_at", "room", "client", "status", "total", "currency")
    list_filter = ("status",)
    search_fields = ("id", "client__email", "room__studio__name")
