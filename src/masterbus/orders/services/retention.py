"""P15: an order's source files (stems, reference) are deleted ORDERS_SOURCE_RETENTION_DAYS
after the order closed (completed, declined, cancelled or refunded), at once for an order
cancelled before it was ever paid; the delivered versions stay
with the order. The files are really deleted through the storage API; the rows keep the names
people gave them, so the timeline still says what was sent."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from masterbus.core import storage
from masterbus.orders.models import EventKind, Order, OrderFile, OrderStatus
from masterbus.orders.services.events import event_record

logger = logging.getLogger(__name__)


def order_sources_purge(*, now=None) -> int:
    """Delete the sources of every order closed long enough ago (a periodic job; idempotent)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ORDERS_SOURCE_RETENTION_DAYS)
    never_paid = Q(status=OrderStatus.CANCELLED, paid_at__isnull=True, closed_at__isnull=False)
    due = Order.objects.filter(
        Q(closed_at__lte=cutoff) | never_paid, sources_deleted_at__isnull=True
    )
    count = 0
    for order in due.iterator():
        with transaction.atomic():
            claimed = Order.objects.filter(pk=order.pk, sources_deleted_at__isnull=True).update(
                sources_deleted_at=now
            )
            if not claimed:
                continue
            files = OrderFile.objects.filter(order=order).exclude(stored_name="")
            names = list(files.values_list("stored_name", flat=True))
            files.update(stored_name="")
            event_record(order=order, kind=EventKind.SOURCES_DELETED)
            transaction.on_commit(lambda names=names: storage.delete(names))
        count += 1
    if count:
        logger.info("deleted the source files of %d order(s)", count)
    return count
