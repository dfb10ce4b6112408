"""Staff read the first-party page-view counts here (P27); nobody edits them."""

from django.contrib import admin

from masterbus.profiles.models import PageView


@admin.register(PageView)
class PageViewAdmin(admin.ModelAdmin):
    list_display = ("day", "route", "views")
    list_filter = ("day",)
    search_fields = ("route",)
    date_hierarchy = "day"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
