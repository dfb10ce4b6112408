from allauth.socialaccount.models import SocialApp, SocialToken
from django.contrib import admin

from masterbus.accounts.models import User

# Social sign-in is configured only from the environment and stores no tokens (P3): the admin
# pages for provider apps and tokens would only invite settings that are ignored.
admin.site.unregister(SocialApp)
admin.site.unregister(SocialToken)


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("email", "is_active", "is_staff", "date_joined")
    search_fields = ("email",)
    exclude = ("password",)
    readonly_fields = ("age_confirmed_at", "age_confirmed_minimum")
