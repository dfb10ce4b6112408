"""Buying through the payments app and the local Stripe-compatible test server: the webhook
issues the licence, a refund (the buyer's, or one made at the provider and reported by the
webhook) revokes it, and the seller's 70 % is released only after the refund window."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from masterbus.payments import provider
from masterbus.payments.models import EarningStatus, Payment, PaymentStatus
from masterbus.shop.models import Licence, LicenceStatus
from masterbus.shop.services.purpose import shop_earnings_release_due

pytestmark = pytest.mark.django_db


def buy(client, server, buyer, product) -> Licence:
    client.force_login(buyer)
    answer = client.post(reverse("shop:product_buy"), {"product": product.slug})
    assert answer.status_code == 302 and answer["Location"].startswith(server.url)
    licence = Licence.objects.get(user=buyer, product=product)
    assert licence.status == LicenceStatus.PENDING and not licence.key
    assert server.pay(answer["Location"]).status_code == 303
    assert all(r.status_code == 200 for r in server.deliver_new(client))
    licence.refresh_from_db()
    return licence


def test_the_webhook_issues_the_licence_with_the_shop_split(
    client, payments_server, product, buyer
):
    licence = buy(client, payments_server, buyer, product)
    assert licence.status == LicenceStatus.ACTIVE and licence.key.startswith("MB1.")
    payment = Payment.objects.get(purpose="shop", purpose_id=str(licence.pk))
    assert (payment.payee, payment.amount) == (product.seller.user, 4900)
    assert (payment.payee_share, payment.platform_fee) == (3430, 1470)  # 30 % platform fee
    assert payment.earning.status == EarningStatus.PENDING
    page = client.get(reverse("shop:licence", args=[licence.pk]))
    assert licence.key in page.content.decode()
    again = client.post(reverse("shop:product_buy"), {"product": product.slug}, follow=True)
    assert "already own" in again.content.decode()


def test_a_refund_made_at_the_provider_revokes_through_the_webhook(
    client, payments_server, product, buyer
):
    licence = buy(client, payments_server, buyer, product)
    payment = Payment.objects.get(purpose="shop", purpose_id=str(licence.pk))
    provider.refund_create(
        intent_id=payment.payment_intent_id,
        amount=payment.amount,
        idempotency_key="dash-1",
        metadata={},
    )
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.ACTIVE  # nothing changes before the webhook
    assert all(r.status_code == 200 for r in payments_server.deliver_new(client))
    licence.refresh_from_db()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED
    assert (licence.status, licence.revoke_reason) == (LicenceStatus.REVOKED, "refunded")
    verify = client.post(
        "/api/v1/shop/verify", {"key": licence.key}, content_type="application/json"
    )
    assert verify.json()["status"] == "revoked" and not verify.json()["valid"]


def test_the_buyer_refunds_within_the_window_and_not_after(client, payments_server, product, buyer):
    licence = buy(client, payments_server, buyer, product)
    Licence.objects.filter(pk=licence.pk).update(issued_at=timezone.now() - timedelta(days=15))
    late = client.post(reverse("shop:licence_refund", args=[licence.pk]), follow=True)
    assert "within 14 days" in late.content.decode()
    Licence.objects.filter(pk=licence.pk).update(issued_at=timezone.now())
    client.post(reverse("shop:licence_refund", args=[licence.pk]))
    payments_server.deliver_new(client)
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.REVOKED
    payment = Payment.objects.get(purpose="shop", purpose_id=str(licence.pk))
    assert payment.earning.status == EarningStatus.CANCELLED  # the seller gets nothing


def test_the_seller_share_is_released_after_the_refund_window(
    client, payments_server, product, buyer
):
    licence = buy(client, payments_server, buyer, product)
    payment = Payment.objects.get(purpose="shop", purpose_id=str(licence.pk))
    assert shop_earnings_release_due() == 0  # inside the window
    Payment.objects.filter(pk=payment.pk).update(paid_at=timezone.now() - timedelta(days=15))
    assert shop_earnings_release_due() == 1
    assert shop_earnings_release_due() == 0  # once
    payment.earning.refresh_from_db()
    assert payment.earning.status == EarningStatus.RELEASED
    transfers = payments_server.objects("transfer")
    assert [(t["amount"], t["currency"]) for t in transfers] == [(3430, "eur")]
    refused = client.post(reverse("shop:licence_refund", args=[licence.pk]), follow=True)
    assert "share has been released" in refused.content.decode()  # the seller's money stays
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.ACTIVE
