"""The audit log of every administrative action (P20).

``AuditedAdminSite`` is the project's admin site (``masterbus.rights.apps.AuditedAdminConfig``
replaces ``django.contrib.admin`` in INSTALLED_APPS). Every ModelAdmin registered on it, ours or a
library's, gets ``AuditedModelAdmin`` mixed in, so adding, changing (with the fields changed),
deleting (one object or "delete selected") and every bulk action write an ``AuditEvent``. Django's
own LogEntry is still written for the admin's "recent actions" box, but it does not cover bulk
actions and can be deleted with its author; the audit log covers both.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from masterbus.rights.models import AuditAction, AuditEvent

DELETED = "deleted account"
# Deletions through this action are recorded one by one by ``log_deletions``.
DELETE_SELECTED = "delete_selected"


def audit_record(
    *,
    actor,
    action: str,
    objects: Iterable[models.Model],
    changed_fields: list[str] | None = None,
    action_name: str = "",
) -> list[AuditEvent]:
    """One event per object the action touched."""
    return AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=actor,
            actor_label=str(actor),
            action=action,
            action_name=action_name,
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            changed_fields=changed_fields or [],
        )
        for obj in objects
    )


@transaction.atomic
def audited_approve(*, obj: models.Model, staff_user, action_name: str) -> bool:
    """Set ``approved_at``/``approved_by`` once, in a conditional UPDATE so two staff approving
    at the same time leave one event; the audit log records who allowed it (P20). False if the
    object already was approved."""
    moved = (
        type(obj)
        .objects.filter(pk=obj.pk, approved_at__isnull=True)
        .update(approved_at=timezone.now(), approved_by=staff_user)
    )
    if moved:
        obj.refresh_from_db()
        audit_record(
            actor=staff_user, action=AuditAction.ACTION, objects=[obj], action_name=action_name
        )
    return bool(moved)


def changed_field_names(message) -> list[str]:
    """Field names out of the admin's change message (a list of {"changed": {"fields": ...}})."""
    names: list[str] = []
    for part in message if isinstance(message, list) else []:
        for name in part.get("changed", {}).get("fields", []):
            names.append(str(name))
        for key in ("added", "deleted", "changed"):
            inline = part.get(key, {})
            if inline.get("object"):
                names.append(f"{inline.get('name')}: {inline['object']}")
    return names


class AuditedModelAdmin(admin.ModelAdmin):
    """Mixed into every registered ModelAdmin: each write of the admin leaves an AuditEvent."""

    def log_addition(self, request, obj, message):
        audit_record(actor=request.user, action=AuditAction.ADD, objects=[obj])
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        audit_record(
            actor=request.user,
            action=AuditAction.CHANGE,
            objects=[obj],
            changed_fields=changed_field_names(message),
        )
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        audit_record(actor=request.user, action=AuditAction.DELETE, objects=list(queryset))
        return super().log_deletions(request, queryset)

    def get_actions(self, request):
        actions = super().get_actions(request)
        return {
            name: (func if name == DELETE_SELECTED else _audited(func, name), name, description)
            for name, (func, _, description) in actions.items()
        }


def _audited(func, name: str):
    @functools.wraps(func)
    def run(modeladmin, request, queryset):
        audit_record(
            actor=request.user, action=AuditAction.ACTION, objects=list(queryset), action_name=name
        )
        return func(modeladmin, request, queryset)

    return run


class AuditedAdminSite(admin.AdminSite):
    site_header = "Masterbus staff"

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        """No sign-in form of the admin's own (it would skip the second factor and the sign-in
        limits): allauth's ``secure_admin_login`` sends the signed-out to allauth's sign-in and
        refuses signed-in non-staff; staff go to the index. A password posted here is never
        checked, so nobody switches accounts here either."""
        return secure_admin_login(self._signed_in)(request)

    def _signed_in(self, request: HttpRequest) -> HttpResponse:
        return HttpResponseRedirect(reverse("admin:index", current_app=self.name))

    def password_change(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        """The account's own page (allauth's): the admin's form would change the password
        without the security log or revoking the API tokens."""
        return HttpResponseRedirect(reverse("account_change_password"))

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedModelAdmin):
            admin_class = type(
                admin_class.__name__,
                (AuditedModelAdmin, admin_class),
                {"__module__": admin_class.__module__},
            )
        super().register(model_or_iterable, admin_class, **options)


def audit_forget_objects(rows: dict[type[models.Model], list[models.Model]]) -> int:
    """Blank the names of these rows (about to be deleted) in the audit log and Django's
    LogEntry; type, id and what was done stay. Returns how many records changed."""
    changed = 0
    for model, instances in rows.items():
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        ids = [str(row.pk) for row in instances]
        for log in (AuditEvent, LogEntry):
            changed += log.objects.filter(content_type=content_type, object_id__in=ids).update(
                object_repr=DELETED
            )
    return changed
