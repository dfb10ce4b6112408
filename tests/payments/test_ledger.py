"""The ledger under real provider traffic: events out of order, replays, refunds before the
payee's share is released, the release itself (a Connect transfer at the test server)."""

from __future__ import annotations

import threading

import pytest
import stripe
from django.db import close_old_connections

from masterbus.payments.errors import AlreadyPaid, NotRefundable
from masterbus.payments.models import (
    Earning,
    EarningStatus,
    Payment,
    PaymentStatus,
    Refund,
    WebhookEvent,
)
from masterbus.payments.services import earning_release, payment_refund
from tests.payments.helpers import paid, start

pytestmark = pytest.mark.django_db


def stripe_client(server) -> stripe.StripeClient:
    return stripe.StripeClient("sk_test_tests", base_addresses={"api": server.url})


def test_a_refund_event_before_the_paid_event_converges(
    payments_server, client, alice, bob, recorder
):
    checkout = start(alice, bob)
    payments_server.pay(checkout.url)
    session = stripe_client(payments_server).v1.checkout.sessions.retrieve(
        checkout.payment.checkout_session_id
    )
    # Refunded at the provider (its dashboard) before we heard of the payment at all.
    stripe_client(payments_server).v1.refunds.create({"payment_intent": session.payment_intent})
    deliveries = payments_server.deliveries()
    order = [d["type"] for d in reversed(deliveries)]
    assert order.index("charge.refunded") < order.index("checkout.session.completed")
    for delivery in reversed(deliveries):
        assert payments_server.deliver(client, delivery).status_code == 200
    payment = Payment.objects.get(pk=checkout.payment.pk)
    assert payment.status == PaymentStatus.REFUNDED
    assert payment.paid_at is not None and payment.amount_refunded == payment.amount
    assert Earning.objects.get(payment=payment).status == EarningStatus.CANCELLED
    assert recorder.paid == [payment.pk]
    assert recorder.refunded == [(payment.pk, payment.amount)]
    assert Refund.objects.filter(payment=payment).count() == 1


def test_a_replay_of_every_event_changes_nothing(payments_server, client, alice, bob, recorder):
    payment = paid(payments_server, client, alice, bob)
    payment_refund(payment=payment, amount=1000, reason="partial")
    payments_server.deliver_new(client)
    before = Payment.objects.values().get(pk=payment.pk)
    events = WebhookEvent.objects.count()
    for delivery in payments_server.deliveries():  # what a 3-day replay sends again
        assert payments_server.deliver(client, delivery).status_code == 200
    assert Payment.objects.values().get(pk=payment.pk) == before
    assert WebhookEvent.objects.count() == events
    assert recorder.paid == [payment.pk] and recorder.refunded == [(payment.pk, 1000)]


def test_an_event_of_someone_elses_payment_is_accepted_and_ignored(payments_server, client):
    account = stripe_client(payments_server).v1.accounts.create({"type": "express"})
    stripe_client(payments_server).v1.transfers.create(
        {"amount": 100, "currency": "eur", "destination": account.id}
    )
    [delivery] = payments_server.deliveries("transfer.created")
    assert payments_server.deliver(client, delivery).status_code == 200
    assert WebhookEvent.objects.filter(type="transfer.created").count() == 1


def test_a_refund_before_release_moves_no_payee_money(
    payments_server, client, alice, bob, recorder
):
    payment = paid(payments_server, client, alice, bob, amount=10_000)
    refund = payment_refund(payment=payment, reason="declined by the engineer")
    assert refund.amount == 10_000
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED
    assert Earning.objects.get(payment=payment).status == EarningStatus.CANCELLED
    assert earning_release(payment=payment) is None
    assert payments_server.objects("transfer") == []
    assert [r["amount"] for r in payments_server.objects("refund")] == [10_000]
    # Asked again (a retried request): the same refund, no second one at the provider.
    assert payment_refund(payment=payment, reason="again").pk == refund.pk
    assert len(payments_server.objects("refund")) == 1


def test_a_partial_refund_shrinks_the_pending_share(
    payments_server, client, alice, bob, settings, recorder
):
    settings.PAYMENTS_FEE_RULES = {"orders": "20"}
    payment = paid(payments_server, client, alice, bob, amount=10_000)
    payment_refund(payment=payment, amount=2_500, reason="one stem less")
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == (PaymentStatus.PARTIALLY_REFUNDED, 2_500)
    # The payee's share of what was kept: 8000 × 7500 / 10000.
    assert Earning.objects.get(payment=payment).amount == 6_000
    with pytest.raises(NotRefundable):
        payment_refund(payment=payment, amount=7_501, reason="too much")
    earning = earning_release(payment=payment)
    [transfer] = payments_server.objects("transfer")
    assert transfer["amount"] == 6_000 and earning.transfer_id == transfer["id"]


def test_release_transfers_the_share_to_the_payees_connected_account(
    payments_server, client, alice, bob, recorder
):
    payment = paid(payments_server, client, alice, bob, amount=12_345)
    earning = earning_release(payment=payment)
    assert earning.status == EarningStatus.RELEASED
    [transfer] = payments_server.objects("transfer")
    [account] = payments_server.objects("account")
    assert transfer["amount"] == payment.payee_share == 9_876
    assert transfer["destination"] == account["id"] == bob.payee_account.provider_account_id
    assert transfer["source_transaction"] == payment.charge_id
    assert transfer["transfer_group"] == payment.transfer_group
    assert earning_release(payment=payment) is None  # once
    with pytest.raises(NotRefundable):  # the payee's money is theirs now
        payment_refund(payment=payment, reason="late")
    with pytest.raises(AlreadyPaid):
        start(alice, bob, amount=12_345)  # the same purpose cannot be paid twice


def test_the_split_is_frozen_when_paid(payments_server, client, alice, bob, settings, recorder):
    settings.PAYMENTS_FEE_RULES = {"orders": "20"}
    first = paid(payments_server, client, alice, bob, amount=10_000, purpose_id="a")
    settings.PAYMENTS_FEE_RULES = {"orders": "30"}
    for delivery in payments_server.deliveries():  # redelivered under the new rule
        payments_server.deliver(client, delivery)
    first.refresh_from_db()
    assert (first.payee_share, first.platform_fee, first.fee_percent) == (8_000, 2_000, 20)
    assert Earning.objects.get(payment=first).amount == 8_000
    second = paid(payments_server, client, alice, bob, amount=10_000, purpose_id="b")
    assert (second.payee_share, second.platform_fee) == (7_000, 3_000)


def test_the_rule_in_force_when_paid_counts_not_the_one_at_checkout(
    payments_server, client, alice, bob, settings
):
    settings.PAYMENTS_FEE_RULES = {"orders": "20"}
    checkout = start(alice, bob, amount=10_000)
    settings.PAYMENTS_FEE_RULES = {"orders": "25"}
    payments_server.pay(checkout.url)
    payments_server.deliver_new(client)
    payment = Payment.objects.get(pk=checkout.payment.pk)
    assert (payment.payee_share, payment.platform_fee) == (7_500, 2_500)


@pytest.mark.django_db(transaction=True)
def test_concurrent_releases_release_once(payments_server, client, alice, bob):
    payment = paid(payments_server, client, alice, bob, amount=10_000)
    barrier = threading.Barrier(4)
    results = []

    def release():
        try:
            barrier.wait()
            results.append(earning_release(payment=payment))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=release) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len([r for r in results if r is not None]) == 1
    assert len(payments_server.objects("transfer")) == 1
    assert Earning.objects.get(payment=payment).status == EarningStatus.RELEASED


def test_a_purpose_paid_twice_refunds_the_second_payment(
    payments_server, client, alice, bob, recorder, django_capture_on_commit_callbacks
):
    first = start(alice, bob, amount=5_000)
    payments_server.pay(first.url)  # paid, but its webhook has not arrived yet
    second = start(alice, bob, amount=5_000)  # another tab
    payments_server.pay(second.url)
    with django_capture_on_commit_callbacks(execute=True):
        payments_server.deliver_new(client)
    first_paid = Payment.objects.get(pk=first.payment.pk)
    second_paid = Payment.objects.get(pk=second.payment.pk)
    assert first_paid.status == PaymentStatus.PAID
    assert second_paid.status == PaymentStatus.REFUNDED
    assert recorder.paid == [first_paid.pk] and recorder.refunded == []
    assert Earning.objects.filter(payment=second_paid).count() == 0
    assert not second_paid.invoices.exists()
    assert [r["amount"] for r in payments_server.objects("refund")] == [5_000]


def test_a_new_checkout_closes_the_earlier_open_one(payments_server, client, alice):
    first = start(alice)
    second = start(alice)
    assert Payment.objects.get(pk=first.payment.pk).status == PaymentStatus.EXPIRED
    assert payments_server.pay(first.url).status_code == 400  # its page refuses to pay
    assert payments_server.pay(second.url).status_code == 303
