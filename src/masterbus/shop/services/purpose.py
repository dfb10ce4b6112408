"""The "shop" payments purpose: paid issues the licence, a full refund revokes it; both run
inside the webhook's transaction and are idempotent. The seller's share is released by a
periodic job once the refund window has passed."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from masterbus.payments import services as payments
from masterbus.payments.models import EarningStatus, Payment, PaymentStatus
from masterbus.shop.models import Licence
from masterbus.shop.services.licences import PURPOSE, licence_issue, licence_revoke

logger = logging.getLogger(__name__)


class ShopPurpose:
    """Registered in ShopConfig.ready."""

    def on_paid(self, payment) -> None:
        licence = Licence.objects.select_related("product").filter(pk=payment.purpose_id).first()
        if licence is None:
            logger.warning(
                "payment %s is for an unknown licence %s", payment.pk, payment.purpose_id
            )
            return
        licence_issue(licence=licence)

    def on_refunded(self, payment, refund) -> None:
        if payment.amount_refunded < payment.amount:
            return  # a partial refund (staff goodwill) leaves the licence working
        licence = Licence.objects.filter(pk=payment.purpose_id).first()
        if licence is not None:
            licence_revoke(licence=licence, reason="refunded")

    def title(self, payment) -> str:
        name = (
            Licence.objects.filter(pk=payment.purpose_id)
            .values_list("product__name", flat=True)
            .first()
        )
        return f"{name} (licence)" if name else ""


def shop_earnings_release_due() -> int:
    """Periodic: release the seller's share of every sale older than the refund window."""
    before = timezone.now() - timedelta(days=settings.SHOP_REFUND_WINDOW_DAYS)
    due = Payment.objects.filter(
        purpose=PURPOSE,
        status__in=(PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED),
        paid_at__lt=before,
        earning__status=EarningStatus.PENDING,
    )
    released = 0
    for payment in due[:200]:
        if payments.earning_release(payment=payment) is not None:
            released += 1
    return released
