"""Studios: the "add your studio" application, staff approval (audited, P20), rooms, weekly
hours, exceptions and add-ons. Each is bounded per owner or per studio."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from masterbus.rights.audit import audit_record
from masterbus.rights.models import AuditAction
from masterbus.studios.errors import StudioLimit
from masterbus.studios.models import AddOn, HoursException, OpeningHours, Room, Studio


def studio_apply(*, owner, **fields) -> Studio:
    """An application to list a studio: saved unapproved, invisible until staff approve it."""
    if Studio.objects.filter(owner=owner).count() >= settings.STUDIOS_MAX_PER_OWNER:
        raise StudioLimit(f"An account can run at most {settings.STUDIOS_MAX_PER_OWNER} studios.")
    studio = Studio(owner=owner, **fields)
    studio.full_clean()
    studio.save()
    return studio


def studio_approve(*, staff_user, studio: Studio) -> bool:
    """Approve an application once (a conditional UPDATE); the approval is in the audit log."""
    with transaction.atomic():
        approved = Studio.objects.filter(pk=studio.pk, approved_at__isnull=True).update(
            approved_at=timezone.now()
        )
        if approved:
            audit_record(
                actor=staff_user,
                action=AuditAction.ACTION,
                objects=[studio],
                action_name="studio_approve",
            )
    studio.refresh_from_db()
    return bool(approved)


def room_create(*, studio: Studio, **fields) -> Room:
    if studio.rooms.count() >= settings.STUDIO_MAX_ROOMS:
        raise StudioLimit(f"A studio can list at most {settings.STUDIO_MAX_ROOMS} rooms.")
    room = Room(studio=studio, **fields)
    room.full_clean()
    room.save()
    return room


def addon_create(*, studio: Studio, **fields) -> AddOn:
    if studio.addons.count() >= settings.STUDIO_MAX_ADDONS:
        raise StudioLimit(f"A studio can list at most {settings.STUDIO_MAX_ADDONS} add-ons.")
    addon = AddOn(studio=studio, **fields)
    addon.full_clean()
    addon.save()
    return addon


def hours_set(
    *, studio: Studio, week: dict[int, list[tuple[dt.time, dt.time]]], room: Room | None = None
) -> list[OpeningHours]:
    """Replace the weekly hours (of one room, or the studio's) with ``week``: weekday -> spans
    in local wall-clock time."""
    rows = [
        OpeningHours(studio=studio, room=room, weekday=day, opens=opens, closes=closes)
        for day, spans in sorted(week.items())
        for opens, closes in spans[:4]  # a day has at most four separate spans
        if 0 <= day <= 6
    ]
    with transaction.atomic():
        OpeningHours.objects.filter(studio=studio, room=room).delete()
        return OpeningHours.objects.bulk_create(rows)


def exception_add(*, studio: Studio, room: Room | None = None, **fields) -> HoursException:
    if studio.exceptions.count() >= settings.STUDIO_MAX_EXCEPTIONS:
        raise StudioLimit(
            f"A studio can list at most {settings.STUDIO_MAX_EXCEPTIONS} closed days or "
            "special hours; remove past ones first."
        )
    exception = HoursException(studio=studio, room=room, **fields)
    exception.full_clean()
    exception.save()
    return exception
