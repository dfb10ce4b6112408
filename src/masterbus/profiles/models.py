"""A user's profile and switches, first-party page-view counts, and policy-change notices.

The profile row is created on the first save (a user who never touched settings reads the
defaults from an unsaved instance); every row that names a user goes with the user's account.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Theme(models.TextChoices):
    SYSTEM = "system", "Same as my device"
    LIGHT = "light", "Light"
    DARK = "dark", "Dark"


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    # Platform -> canonical URL (masterbus.profiles.handles); only platforms the user filled in.
    handles = models.JSONField(default=dict, blank=True)
    # A small square WebP re-encoded by us (masterbus.profiles.avatars): in the row, so it is
    # written atomically and goes with the account; no file can be left behind.
    avatar = models.BinaryField(null=True, blank=True, editable=False)
    avatar_version = models.PositiveIntegerField(default=0)  # cache-busting for the <img> URL
    theme = models.CharField(max_length=8, choices=Theme.choices, default=Theme.SYSTEM)
    # Optional processing (P33). Analytics also needs the browser's consent; marketing is opt-in.
    analytics_enabled = models.BooleanField(default=True)
    assistant_enabled = models.BooleanField(default=True)
    marketing_opt_in = models.BooleanField(default=False)
    marketing_opt_in_at = models.DateTimeField(null=True, blank=True)  # proof of consent (P25)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"profile of {self.user_id}"


class PageView(models.Model):
    """Page views per route name per day (P27, P28): no IP, no user, no cookie, no raw URL."""

    day = models.DateField()
    route = models.CharField(max_length=200)
    views = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "route"], name="pageview_day_route")]
        ordering = ["-day", "-views"]

    def __str__(self) -> str:
        return f"{self.day} {self.route}: {self.views}"


class PolicyNotice(models.Model):
    """What a user has had of one announced policy change (P35): the email, the dismissal."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="policy_notices"
    )
    version = models.CharField(max_length=20)
    emailed_at = models.DateTimeField(null=True, blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "version"], name="policynotice_user_version")
        ]

    def __str__(self) -> str:
        return f"policy {self.version} for {self.user_id}"
