"""Versions the engineer delivers, their previews, and the client's notes pinned to times.

Until the client approves, they hear each file as a full-length MP3 preview (orders.previews,
made by a worker task, never in the web request); the full-resolution files unlock on approval.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from masterbus.accounts.owner import Owner
from masterbus.core import storage
from masterbus.mastering.naming import stored_extension
from masterbus.mastering.services.songs import upload_check_usable, uploads_delete
from masterbus.orders.errors import OrderError, WrongState
from masterbus.orders.models import (
    Delivery,
    DeliveryFile,
    EventKind,
    Order,
    OrderStatus,
    RevisionNote,
)
from masterbus.orders.services.events import event_record
from masterbus.orders.services.workflow import order_move
from masterbus.orders.tasks import prepare_delivery
from masterbus.uploads.selectors import upload_file_path, upload_get_for_owner

logger = logging.getLogger(__name__)

# How long a new version may wait for its previews' task to reach the queue before the sweep.
ENQUEUE_GRACE = timedelta(minutes=1)
DELIVERABLE = (OrderStatus.ACCEPTED, OrderStatus.IN_PROGRESS, OrderStatus.REVISION_REQUESTED)


def delivery_create(*, order: Order, upload_ids: list, message: str = "") -> Delivery:
    """A new version from the engineer's finished uploads; the order becomes delivered and the
    previews are queued once this commits."""
    ids = list(dict.fromkeys(str(i) for i in upload_ids))
    if not ids:
        raise OrderError("Upload at least one file for this version.")
    if len(ids) > settings.ORDERS_MAX_DELIVERY_FILES:
        raise OrderError(f"Deliver at most {settings.ORDERS_MAX_DELIVERY_FILES} files at once.")
    owner = Owner(user=order.engineer, guest_key=None)
    uploads = [upload_get_for_owner(owner, upload_id) for upload_id in ids]
    for upload in uploads:
        upload_check_usable(upload)
    stored: list[str] = []
    try:
        with transaction.atomic():
            now = timezone.now()
            if not order_move(order, DELIVERABLE, OrderStatus.DELIVERED, delivered_at=now):
                raise WrongState("This order is not waiting for a delivery.")
            number = (order.deliveries.aggregate(n=Max("number"))["n"] or 0) + 1
            delivery = Delivery.objects.create(order=order, number=number, message=message[:2000])
            for n, upload in enumerate(uploads, 1):
                name = f"orders/{order.pk.hex}/v{number}/{n:02d}.{stored_extension(upload)}"
                stored.append(storage.store(name, upload_file_path(upload)))
                DeliveryFile.objects.create(
                    delivery=delivery,
                    filename=upload.filename,
                    stored_name=stored[-1],
                    size=upload.length,
                    audio_info=upload.audio_info or {},
                )
            uploads_delete(uploads)
            event_record(
                order=order,
                kind=EventKind.DELIVERED,
                text=f"Version {number}",
                notify_key=str(number),
            )
            transaction.on_commit(lambda: _enqueue(delivery.pk))
    except BaseException:
        storage.delete(stored)
        raise
    return delivery


def _enqueue(delivery_id: int) -> None:
    """Queue the previews; if the queue is down, the periodic sweep queues them later."""
    try:
        prepare_delivery.enqueue(delivery_id=delivery_id)
    except Exception:
        logger.exception("could not queue the previews of delivery %s", delivery_id)
        return
    Delivery.objects.filter(pk=delivery_id).update(queued_at=timezone.now())


def delivery_previews_sweep(*, now=None) -> int:
    """Queue again the previews of versions that never reached the queue (a periodic job)."""
    cutoff = (now or timezone.now()) - ENQUEUE_GRACE
    lost = Delivery.objects.filter(queued_at__isnull=True, created_at__lte=cutoff)
    count = 0
    for delivery_id in lost.values_list("pk", flat=True):
        _enqueue(delivery_id)
        count += 1
    return count


def note_add(*, order: Order, delivery: Delivery, at_seconds: float, text: str) -> RevisionNote:
    """Pin a note to a time of the latest version while it waits for the client's answer."""
    text = (text or "").strip()
    if not text:
        raise OrderError("Write what should change.")
    if order.status != OrderStatus.DELIVERED or delivery.number != _latest(order):
        raise OrderError("Notes go on the latest version while it waits for your answer.")
    duration = max((f.audio_info.get("duration_s", 0) for f in delivery.files.all()), default=0)
    if not 0 <= at_seconds <= max(duration, 0) + 1:
        raise OrderError("The time is outside the version.")
    if delivery.notes.count() >= settings.ORDERS_MAX_NOTES:
        raise OrderError(f"A version takes at most {settings.ORDERS_MAX_NOTES} notes.")
    return RevisionNote.objects.create(delivery=delivery, at_seconds=at_seconds, text=text[:500])


def note_delete(*, order: Order, note: RevisionNote) -> None:
    if order.status != OrderStatus.DELIVERED:
        raise OrderError("Notes of a version already answered stay as they are.")
    note.delete()


def _latest(order: Order) -> int:
    return order.deliveries.aggregate(n=Max("number"))["n"] or 0
