"""Staff read the first-party page-view counts here (P27); nobody edits them."""

from django.contrib import admin

from masterbus.core.admin_views import ReadOnlyAdmin
from masterbus.profiles.models import PageView


@admin.register(PageView)
class PageViewAdmin(ReadOnlyAdmin):
    list_display = ("day", "route", "views")
    list_filter = ("day",)
    search_fields = ("route",)
    date_hierarchy = "day"
