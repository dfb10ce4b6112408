"""The local test payment server speaks Stripe's protocol: the official library works against
it, and it posts its webhooks over HTTP, signed the Stripe way, to our webhook URL."""

from __future__ import annotations

import pytest
import requests
import stripe

from masterbus.payments.models import Payment, PaymentStatus
from tests.payments.helpers import start
from tests.support.payments import start_payments_server
from tests.support.waiting import wait_until


def test_only_test_keys_are_accepted(payments_server):
    live = stripe.StripeClient("sk_live_nope", base_addresses={"api": payments_server.url})
    with pytest.raises(stripe.AuthenticationError):
        live.v1.accounts.create({"type": "express"})


def test_errors_come_back_as_the_librarys_errors(payments_server):
    client = stripe.StripeClient("sk_test_x", base_addresses={"api": payments_server.url})
    with pytest.raises(stripe.InvalidRequestError) as missing:
        client.v1.checkout.sessions.retrieve("cs_test_nothing")
    assert missing.value.code == "resource_missing"
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.checkout.sessions.create({"mode": "subscription"})


def test_an_idempotency_key_answers_a_retried_post_the_same(payments_server):
    client = stripe.StripeClient("sk_test_x", base_addresses={"api": payments_server.url})
    options = {"idempotency_key": "same-key"}
    first = client.v1.accounts.create({"type": "express"}, options)
    again = client.v1.accounts.create({"type": "express"}, options)
    assert first.id == again.id and len(payments_server.objects("account")) == 1


@pytest.mark.django_db(transaction=True)
def test_the_server_delivers_signed_webhooks_over_http(live_server, settings, alice):
    server = start_payments_server(webhook_url=f"{live_server.url}/payments/webhook/")
    settings.STRIPE_API_BASE = server.url
    settings.STRIPE_SECRET_KEY = "sk_test_http"
    settings.STRIPE_WEBHOOK_SECRET = server.secret
    try:
        checkout = start(alice)
        page = requests.get(checkout.url, timeout=10)
        assert "TEST PAYMENTS - no real money" in page.text and "100.00 EUR" in page.text
        assert server.pay(checkout.url).status_code == 303
        wait_until(
            lambda: Payment.objects.get(pk=checkout.payment.pk).status == PaymentStatus.PAID,
            15,
            what="the webhook over HTTP",
        )
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
