"""Reads: every row and every stored file of one user, found generically (P30, P32).

The walk uses Django's deletion collector on the user: every row that would go with the user
(foreign keys and one-to-ones to the user model, rows owned through ``OwnedModel``, and their
children, such as a song's versions and deliveries), plus rows that only point at the user and
would keep existing with the pointer cleared. Models other apps add are included without
changes here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import DEFAULT_DB_ALIAS, models
from django.db.models.deletion import Collector

# Fields never exported: secrets and keys that would let someone act as the user.
SECRET_FIELD_PARTS = ("password", "secret", "hash", "token")
SECRET_FIELD_NAMES = frozenset({"key", "session_key", "guest_key", "session_data"})
SECRET_FIELDS_BY_MODEL = {
    "mfa.authenticator": frozenset({"data"}),  # TOTP secret and recovery codes
}
# Storage names kept in plain text fields (not FileFields): the user's own files.
STORED_NAME_FIELDS = {
    "mastering.song": ("original",),
    "mastering.job": ("reference",),
    "mastering.delivery": ("file",),
}


def personal_rows(user) -> dict[type[models.Model], list[models.Model]]:
    """Every row of the user's data, grouped by model (the user's own row included)."""
    collector = Collector(using=DEFAULT_DB_ALIAS, origin=user)
    collector.collect([user])
    found: dict[type[models.Model], dict] = defaultdict(dict)

    def add(instances: Iterable[models.Model]) -> None:
        for instance in instances:
            found[type(instance)][instance.pk] = instance

    for instances in collector.data.values():
        add(instances)
    for queryset in collector.fast_deletes:
        add(queryset)
    for batches in collector.field_updates.values():
        for batch in batches:
            add(batch)
    return {
        model: sorted(rows.values(), key=lambda row: str(row.pk))
        for model, rows in found.items()
        if not model._meta.auto_created  # many-to-many link tables: shown on their owner
    }


def is_secret(model: type[models.Model], field: models.Field) -> bool:
    name = field.name.lower()
    return (
        name in SECRET_FIELD_NAMES
        or any(part in name for part in SECRET_FIELD_PARTS)
        or name in SECRET_FIELDS_BY_MODEL.get(model._meta.label_lower, ())
    )


def stored_names(row: models.Model) -> list[str]:
    """Storage names of the files a row holds: FileFields, and the registered name fields."""
    names = [
        getattr(row, field.attname).name
        for field in row._meta.concrete_fields
        if isinstance(field, models.FileField) and getattr(row, field.attname)
    ]
    for name in STORED_NAME_FIELDS.get(row._meta.label_lower, ()):
        if getattr(row, name):
            names.append(getattr(row, name))
    return names
