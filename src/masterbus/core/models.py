"""The shared base of everything a person owns: a signed-in user or a guest browser (P10, P18);
the spent one-time tokens (P6)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class OwnedModel(models.Model):
    """Owned by a user or, before sign-in, by a guest key; ``Owner.filter_kwargs()`` scopes it.

    The random UUID doubles as the row's URL part: unguessable, and still checked against the
    owner on every read.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="%(class)ss",
    )
    guest_key = models.CharField(max_length=64, null=True, blank=True, db_index=True)

    class Meta:
        abstract = True


class SpentToken(models.Model):
    """A one-time token that has been used (P6: the captcha's), kept until it would have expired
    anyway. Only a SHA-256 digest is stored; the unique constraint makes "use it" one atomic
    insert, so two posts of the same token, in any processes on any hosts, cannot both pass."""

    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"spent token {self.digest[:8]}… until {self.expires_at:%Y-%m-%d %H:%M}"
