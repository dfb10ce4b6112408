"""Reads: every row and every stored file of one user, found generically (P30, P32).

The walk uses Django's deletion collector on the user: every row that would go with the user
(foreign keys and one-to-ones to the user model, rows owned through ``OwnedModel``, and their
children, such as a song's versions and deliveries), plus rows that only point at the user and
would keep existing with the pointer cleared. Models other apps add are included without
changes here.

Some relations name the user as the one who *acted* on someone else's record (staff answering a
rights request, the audit log, the admin's LogEntry): those rows are the other person's data, not
the user's. They are declared in ``ACTOR_FIELDS``; the walk does not follow them (nor anything
below them), ``personal_rows`` leaves them out, and ``actor_rows`` gives them separately, reduced to
the fields that say what the user did (never the other person's data). A row reached through an
owner relation too (a staff member's own rights request) stays the user's own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
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
    "orders.sample": ("before", "after"),
    "studios.sessionfile": ("stored_name",),
    "studios.studiosample": ("stored_name",),
    "training.clip": ("stored_name",),
}
# Relations to the user that name who acted, not whose data the row is: (model, field) -> the
# fields an export shows of such a row (its id always): what the user did and when, never the
# other person's email, message or the changed object's name or values.
ACTOR_FIELDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("rights.rightsrequest", "handled_by"): ("status", "handled_at"),
    ("rights.auditevent", "actor"): ("created_at", "action", "action_name", "content_type"),
    ("admin.logentry", "user"): ("action_time", "action_flag", "content_type"),
    # The payer's record of a payment to the user: the user's share, never the payer's details.
    ("payments.payment", "payee"): ("purpose", "purpose_id", "currency", "payee_share", "paid_at"),
    ("orders.engineerprofile", "approved_by"): ("approved_at",),
    ("shop.sellerprofile", "approved_by"): ("approved_at",),
    # A moderator's handling of someone else's report, and a ban they gave (community).
    ("community.report", "handled_by"): ("status", "handled_at"),
    ("community.ban", "banned_by"): ("created_at",),
}


def is_actor_field(field: models.Field) -> bool:
    return (field.model._meta.label_lower, field.name) in ACTOR_FIELDS


class _OwnerCollector(Collector):
    """The deletion collector, blind to actor relations (see ``ACTOR_FIELDS``)."""

    def related_objects(self, related_model, related_fields, objs):
        owned = [field for field in related_fields if not is_actor_field(field)]
        if not owned:
            return related_model._base_manager.using(self.using).none()
        return super().related_objects(related_model, owned, objs)


def personal_rows(user) -> dict[type[models.Model], list[models.Model]]:
    """Every row of the user's data, grouped by model (the user's own row included); rows that
    only name the user as the one who acted are not among them (see ``actor_rows``)."""
    collector = _OwnerCollector(using=DEFAULT_DB_ALIAS, origin=user)
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


def actor_rows(user, owned=None) -> dict[str, list[dict]]:
    """What the user did on other people's records, by model label: each row's id and the fields
    ``ACTOR_FIELDS`` shows (a content type as ``app_label.model``); rows among ``owned`` (the
    result of ``personal_rows``) are the user's own and left out here."""
    owned = personal_rows(user) if owned is None else owned
    found: dict[str, dict] = defaultdict(dict)
    for (label, name), shown in ACTOR_FIELDS.items():
        try:
            model = apps.get_model(label)
        except LookupError:  # an app that is not installed
            continue
        own = {row.pk for row in owned.get(model, ())}
        for row in model._base_manager.filter(**{name: user}).order_by("pk"):
            if row.pk in own:
                continue
            item = {"id": row.pk}
            for field_name in shown:
                field = model._meta.get_field(field_name)
                value = field.value_from_object(row)
                if field.related_model is ContentType and value is not None:
                    value = ".".join(ContentType.objects.get_for_id(value).natural_key())
                item[field_name] = value
            found[label][row.pk] = item
    return {label: list(rows.values()) for label, rows in sorted(found.items())}


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
