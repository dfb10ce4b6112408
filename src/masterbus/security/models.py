"""Sign-in sessions (P4) and the security log (P17). Addresses are stored only as keyed hashes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class SignInSession(models.Model):
    """One signed-in browser session; deleting the row ends the session on its next request."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_in_sessions"
    )
    # SHA-256 of the session key: tells "this session" apart without keeping the credential.
    session_key_hash = models.CharField(max_length=64, db_index=True)
    browser = models.CharField(max_length=80)  # "Firefox on Linux", never the raw User-Agent
    ip_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.browser} ({self.user_id})"


class EventKind(models.TextChoices):
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
    SIGN_OUT = "sign_out", "Signed out"
    PASSWORD_CHANGED = "password_changed", "Password changed"
    PASSWORD_RESET = "password_reset", "Password reset"
    EMAIL_CHANGED = "email_changed", "Email address changed"
    MFA_ENABLED = "mfa_enabled", "Two-factor sign-in turned on"
    MFA_DISABLED = "mfa_disabled", "Two-factor sign-in turned off"
    SESSIONS_ENDED = "sessions_ended", "Other sessions signed out"
    API_TOKEN_CREATED = "api_token_created", "API token created"
    API_TOKEN_REVOKED = "api_token_revoked", "API token revoked"
    API_TOKEN_NEW_NETWORK = "api_token_new_network", "API token used from a new network"


class SecurityEvent(models.Model):
    """An entry of the security log, kept SECURITY_LOG_RETENTION_DAYS (P17)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="security_events",
    )
    kind = models.CharField(max_length=32, choices=EventKind.choices)
    ip_hash = models.CharField(max_length=64, blank=True)
    browser = models.CharField(max_length=80, blank=True)
    # What the event was about, in words the user recognises: "laptop (mb_1a2b3c4d5e6f)".
    detail = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} ({self.user_id}) {self.created_at:%Y-%m-%d %H:%M}"
