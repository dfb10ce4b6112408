"""The shared base of everything a person owns: a signed-in user or a guest browser (P10, P18);
the spent one-time tokens (P6)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.apps import apps
from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from masterbus.accounts.owner import Owner


class OwnedQuerySet(models.QuerySet):
    """Rows scoped to their owner: ``Model.objects.for_owner(owner)``, the one way views and
    selectors read owned rows (another owner's row reads as unknown: 404).

    ``owner_path`` is the relation to the owned row for a model owned through another one (a
    job through its song); empty for an ``OwnedModel`` itself.
    """

    owner_path = ""

    def for_owner(self, owner: Owner) -> OwnedQuerySet:
        prefix = f"{self.owner_path}__" if self.owner_path else ""
        return self.filter(**{prefix + key: value for key, value in owner.filter_kwargs().items()})


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

    objects = OwnedQuerySet.as_manager()

    class Meta:
        abstract = True
        # Subclasses declare ``class Meta(OwnedModel.Meta)`` (and list these first if they
        # add constraints of their own).
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | models.Q(guest_key__isnull=False),
                name="%(class)s_has_owner",
            ),
        ]


def owned_models() -> list[type[OwnedModel]]:
    """Every concrete model a user or a guest owns (moved to the account on sign-in)."""
    return [model for model in apps.get_models() if issubclass(model, OwnedModel)]


class SpentToken(models.Model):
    """A one-time token that has been used (P6: the captcha's), kept until it would have expired
    anyway. Only a SHA-256 digest is stored; the unique constraint makes "use it" one atomic
    insert, so two posts of the same token, in any processes on any hosts, cannot both pass."""

    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"spent token {self.digest[:8]}… until {self.expires_at:%Y-%m-%d %H:%M}"
