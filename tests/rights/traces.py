"""What is left of a user: rows that point at them or hold their email, and stored files."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage

from tests.accounts.forms import everything_stored


def rows_of(user_id, email: str) -> list[str]:
    """Every model and field that still points at the user; and any table holding the email."""
    user_model = get_user_model()
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            target = field.related_model
            if not target or target._meta.concrete_model is not user_model:
                continue
            if model._default_manager.filter(**{field.attname: user_id}).exists():
                found.append(f"{model._meta.label}.{field.name}")
    if user_model.objects.filter(pk=user_id).exists():
        found.append("the user row")
    if email.lower() in everything_stored().lower():
        found.append(f"the email {email} in a table or session")
    return found


def stored_files(folder: str = "") -> set[str]:
    """Every file in storage (disk or object storage), by storage name."""
    try:
        dirs, names = default_storage.listdir(folder)
    except FileNotFoundError:  # nothing stored yet on disk storage
        return set()
    found = {f"{folder}{name}" for name in names}
    for sub in dirs:
        found |= stored_files(f"{folder}{sub}/")
    return found
