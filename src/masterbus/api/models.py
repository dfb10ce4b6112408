"""Personal API tokens: only a hash of the secret is stored, found by a short public prefix."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    """A token a person made for their scripts; it acts as its owner until revoked."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    # Shown in lists and used to find the row; the secret after it is never stored.
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Chosen when it is made; null: until revoked.
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def label(self) -> str:
        """How the token is named to its owner (the security log): name and public prefix."""
        return f"{self.name} (mb_{self.prefix})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired


class ApiTokenNetwork(models.Model):
    """A network a token was used from (the keyed hash of the address, never the address): the
    first use from a new one is written to the owner's security log."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="networks")
    ip_hash = models.CharField(max_length=64)
    first_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "ip_hash"], name="api_token_network_once")
        ]

    def __str__(self) -> str:
        return f"{self.token_id} from {self.ip_hash[:8]}"
