"""A payment end to end through the official stripe library against the local test server:
hosted checkout, the signed webhook, the ledger (P19, P22)."""

from __future__ import annotations

import json
import threading

import pytest
import stripe
from django.db import close_old_connections
from django.test import Client

from masterbus.payments.models import (
    Earning,
    EarningStatus,
    Invoice,
    Payment,
    PaymentStatus,
    WebhookEvent,
)
from tests.payments.helpers import paid, start

pytestmark = pytest.mark.django_db


def test_a_paid_checkout_records_ids_card_and_split(
    payments_server,
    client,
    alice,
    bob,
    recorder,
    mailoutbox,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.PAYMENTS_FEE_RULES = {"orders": "20"}
    checkout = start(alice, bob, amount=12_345)
    assert checkout.url.startswith(payments_server.url + "/pay/cs_test_")
    page = payments_server.pay(checkout.url)
    assert page.headers["Location"].endswith(checkout.payment.checkout_session_id)
    payment = Payment.objects.get(pk=checkout.payment.pk)
    assert payment.status == PaymentStatus.OPEN  # the redirect pays nothing; the webhook does

    with django_capture_on_commit_callbacks(execute=True):
        for answer in payments_server.deliver_new(client):
            assert answer.status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert (payment.card_brand, payment.card_last4) == ("visa", "4242")
    assert payment.payment_intent_id.startswith("pi_") and payment.charge_id.startswith("ch_")
    assert payment.customer_id.startswith("cus_") and payment.billing_country == "DE"
    # 20 % of 123.45 = 24.69 exactly; the payee gets the rest.
    assert (payment.platform_fee, payment.payee_share) == (2469, 9876)
    earning = Earning.objects.get(payment=payment)
    assert (earning.status, earning.amount, earning.payee) == (EarningStatus.PENDING, 9876, bob)
    assert recorder.paid == [payment.pk]
    kinds = sorted(Invoice.objects.filter(payment=payment).values_list("kind", "total"))
    assert kinds == [("fee", 2469), ("sale", 12_345)]
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["alice@example.com"]
    assert "€123.45" in mailoutbox[0].body and "4242" in mailoutbox[0].body


def test_p22_no_card_number_is_stored(payments_server, client, alice):
    payment = paid(payments_server, client, alice)
    for field in Payment._meta.concrete_fields:
        value = str(getattr(payment, field.attname))
        assert "4242424242424242" not in value.replace(" ", "")


def test_p19_a_bad_signature_is_refused_and_changes_nothing(
    payments_server, client, alice, recorder
):
    checkout = start(alice)
    payments_server.pay(checkout.url)
    [completed] = payments_server.deliveries("checkout.session.completed")
    forged = stripe.WebhookSignature._compute_signature("1.x", "whsec_wrong")
    for signature in ("", f"t=1,v1={forged}", completed["signature"].replace("v1=", "v1=0")):
        answer = payments_server.deliver(client, completed, signature=signature)
        assert answer.status_code == 400
    # A valid signature over a changed body is refused too.
    tampered = dict(completed, payload=completed["payload"].replace('"paid"', '"unpaid"'))
    assert payments_server.deliver(client, tampered).status_code == 400
    assert not WebhookEvent.objects.exists()
    assert Payment.objects.get(pk=checkout.payment.pk).status == PaymentStatus.OPEN
    assert recorder.paid == []


def test_a_duplicate_delivery_applies_once(payments_server, client, alice, bob, recorder):
    payment = paid(payments_server, client, alice, bob)
    [completed] = payments_server.deliveries("checkout.session.completed")
    assert payments_server.deliver(client, completed).status_code == 200
    assert recorder.paid == [payment.pk]
    assert Earning.objects.filter(payment=payment).count() == 1
    assert Invoice.objects.filter(payment=payment).count() == 2


def test_an_expired_checkout_is_expired(payments_server, client, alice, recorder):
    checkout = start(alice)
    stripe.StripeClient(
        "sk_test_tests", base_addresses={"api": payments_server.url}
    ).v1.checkout.sessions.expire(checkout.payment.checkout_session_id)
    payments_server.deliver_new(client)
    assert Payment.objects.get(pk=checkout.payment.pk).status == PaymentStatus.EXPIRED
    assert payments_server.pay(checkout.url).status_code == 400  # the page refuses it now


def test_a_declined_card_leaves_the_checkout_open(payments_server, client, alice):
    checkout = start(alice)
    answer = payments_server.pay(checkout.url, card="decline")
    assert answer.status_code == 402 and "declined" in answer.text
    assert "TEST PAYMENTS - no real money" in answer.text
    assert payments_server.deliveries() == []
    assert payments_server.pay(checkout.url).status_code == 303  # then a good card pays


def test_webhook_deliveries_are_signed_the_stripe_way(payments_server, alice):
    checkout = start(alice)
    payments_server.pay(checkout.url)
    for delivery in payments_server.deliveries():
        event = stripe.Webhook.construct_event(
            delivery["payload"], delivery["signature"], payments_server.secret
        )
        assert event.id == json.loads(delivery["payload"])["id"]


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_deliveries_apply_once(payments_server, alice, bob, recorder):
    checkout = start(alice, bob)
    payments_server.pay(checkout.url)
    [completed] = payments_server.deliveries("checkout.session.completed")
    barrier = threading.Barrier(3)
    answers = []

    def deliver():
        try:
            barrier.wait()
            answers.append(payments_server.deliver(Client(), completed).status_code)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=deliver) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [200, 200, 200]
    assert recorder.paid == [checkout.payment.pk]
    assert Earning.objects.filter(payment=checkout.payment).count() == 1
    assert Invoice.objects.filter(payment=checkout.payment).count() == 2
    assert WebhookEvent.objects.count() == 1


def test_the_webhook_bounds_its_input(client):
    url = "/payments/webhook/"
    assert client.get(url).status_code == 405
    big = b"{" + b" " * (300 * 1024) + b"}"
    answer = client.post(url, data=big, content_type="application/json")
    assert answer.status_code == 413
    assert (
        client.post(
            url,
            data=b"not json",
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE="t=1,v1=00",
        ).status_code
        == 400
    )
