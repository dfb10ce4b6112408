"""Songs for support staff to look at while helping someone (P20: view only). Deleting a song
is the owner's (or the account deletion's) business, through the service that deletes files."""

from django.contrib import admin

from masterbus.core.admin_views import ReadOnlyAdmin
from masterbus.mastering.models import Song


@admin.register(Song)
class SongAdmin(ReadOnlyAdmin):
    list_display = ("title", "owner", "created_at", "original_size")
    search_fields = ("title", "user__email")
    date_hierarchy = "created_at"
    fields = ("title", "owner", "album", "track_number", "original_size", "loudness_lufs",
              "audio_info", "created_at")  # fmt: skip
    readonly_fields = fields

    @admin.display(description="owner")
    def owner(self, song: Song) -> str:
        return song.user.email if song.user_id else "a guest"  # never the guest's cookie key

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")
