"""Retention (P23, P32): financial records are kept, their people are cut out.

Payment and invoice records are kept PAYMENTS_RETENTION_DAYS (7 years, for tax) and then
anonymised: the links to users cleared, names and e-mail addresses blanked; amounts, dates,
numbers and the country (the tax record) stay. Account deletion does the same at once for the
deleted user's records (``ANONYMISED`` in rights/deletion.py and the ``SET_NULL`` relations).
Webhook event ids are kept long enough to recognise every redelivery (Stripe retries for 3
days), then purged.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from masterbus.payments.models import Earning, Invoice, Payment, Payout, WebhookEvent

ANONYMOUS = "anonymised"
WEBHOOK_EVENT_DAYS = 30


def payments_retention_anonymise(*, now=None) -> int:
    """Anonymise payment records older than the retention period; returns how many payments."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.PAYMENTS_RETENTION_DAYS)
    with transaction.atomic():
        old = Payment.objects.filter(created_at__lt=cutoff, anonymised_at__isnull=True)
        ids = list(old.values_list("pk", flat=True)[:1000])
        if not ids:
            return 0
        Payment.objects.filter(pk__in=ids).update(
            payer=None, payee=None, billing_name=ANONYMOUS, billing_email="", anonymised_at=now
        )
        Invoice.objects.filter(payment_id__in=ids).update(
            buyer=None, buyer_name=ANONYMOUS, buyer_email="", anonymised_at=now
        )
        Earning.objects.filter(payment_id__in=ids).update(payee=None)
        Payout.objects.filter(created_at__lt=cutoff).update(payee=None)
    return len(ids)


def webhook_events_purge(*, now=None) -> int:
    cutoff = (now or timezone.now()) - timedelta(days=WEBHOOK_EVENT_DAYS)
    deleted, _ = WebhookEvent.objects.filter(received_at__lt=cutoff).delete()
    return deleted
