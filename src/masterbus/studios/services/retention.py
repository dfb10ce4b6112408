"""Retention of bookings (P23): kept as the studio's financial record for the same period as
their payments (PAYMENTS_RETENTION_DAYS, 7 years), then anonymised like them: the client link
cleared, the client's note emptied, the signature's typed name replaced and its signer link
cleared. Dates, prices, tiers, the terms' text and hash stay (the record of what was sold).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from masterbus.rights.deletion import SIGNER_DELETED
from masterbus.studios.models import Agreement, Booking

BATCH = 1000


def bookings_retention_anonymise(*, now=None) -> int:
    """Anonymise bookings that ended before the retention period; returns how many (idempotent:
    an anonymised booking matches no more, a batch bounds each run)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.PAYMENTS_RETENTION_DAYS)
    with transaction.atomic():
        ids = list(
            Booking.objects.filter(
                Q(client__isnull=False) | ~Q(note=""), ends_at__lt=cutoff
            ).values_list("pk", flat=True)[:BATCH]
        )
        Booking.objects.filter(pk__in=ids).update(client=None, note="")
        Agreement.objects.filter(booking_id__in=ids).update(signer=None, signed_name=SIGNER_DELETED)
    return len(ids)
