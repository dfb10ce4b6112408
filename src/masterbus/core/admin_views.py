"""Read-only admin screens: staff look at records there, they never edit them by hand.

Changes go through the services (deleting a song deletes its files, a security event is a
record of what happened), so these screens offer no add, change or delete at all.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
