"""A card saved now and charged later, off-session, through the stripe library, our test
server's setup-mode Checkout, SetupIntents and PaymentIntents, and the signed webhooks."""

from __future__ import annotations

import pytest

from masterbus.payments.errors import ChargeDeclined
from masterbus.payments.models import Payment, PaymentSetup, PaymentStatus, SetupStatus
from masterbus.payments.selectors import saved_card_for
from masterbus.payments.services import Line, charge_saved, payment_refund, setup_start
from masterbus.payments.testserver.store import DECLINES_OFF_SESSION
from tests.payments.helpers import PURPOSE
from tests.platform.fixtures import make_user

pytestmark = pytest.mark.django_db
PAGE = "https://masterbus.test/back"


def saved(server, client, payer, card: str = "4242 4242 4242 4242") -> PaymentSetup:
    found = setup_start(
        payer=payer, purpose=PURPOSE, purpose_id="7", currency="EUR", success_url=PAGE,
        cancel_url=PAGE,
    )  # fmt: skip
    assert found.setup.status == SetupStatus.OPEN and found.url.startswith(server.url + "/pay/")
    assert server.pay(found.url, card).status_code == 303
    for answer in server.deliver_new(client):
        assert answer.status_code == 200
    return PaymentSetup.objects.get(pk=found.setup.pk)


def test_a_saved_card_is_charged_off_session_and_paid_by_the_webhook(
    payments_server, client, recorder
):
    payer, payee = make_user("payer@example.com"), make_user("payee@example.com")
    setup = saved(payments_server, client, payer)
    assert setup.status == SetupStatus.READY and (setup.card_brand, setup.card_last4) == (
        "visa",
        "4242",
    )
    assert saved_card_for(purpose=PURPOSE, purpose_id="7") == setup
    stored = " ".join(str(value) for value in PaymentSetup.objects.values().get().values())
    assert "4242424242424242" not in stored  # P22: ids, brand and last four only
    [session] = payments_server.objects("checkout.session")
    assert session["mode"] == "setup" and session["amount_total"] is None  # nothing charged
    assert payments_server.objects("payment_intent") == []

    payment = charge_saved(
        setup=setup, lines=[Line("Session", 12_000)], currency="EUR", payee=payee,
        fee_rule="orders",
    )  # fmt: skip
    assert payment.status == PaymentStatus.OPEN and payment.payment_intent_id
    [intent] = payments_server.objects("payment_intent")
    assert intent["payment_method"] == setup.payment_method_id
    assert intent["customer"] == setup.customer_id and intent["status"] == "succeeded"
    for answer in payments_server.deliver_new(client):
        assert answer.status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and recorder.paid == [payment.pk]
    assert (payment.card_brand, payment.card_last4, payment.payee_share) == ("visa", "4242", 9600)

    payment_refund(payment=payment, amount=2000, reason="partly")  # refunds work the same way
    payments_server.deliver_new(client)
    payment.refresh_from_db()
    assert payment.amount_refunded == 2000 and payment.status == PaymentStatus.PARTIALLY_REFUNDED


def test_a_card_that_declines_off_session_fails_the_charge_and_nothing_is_paid(
    payments_server, client, recorder
):
    payer = make_user("payer@example.com")
    setup = saved(payments_server, client, payer, DECLINES_OFF_SESSION)
    assert setup.status == SetupStatus.READY and setup.card_last4 == "0341"  # saving works
    with pytest.raises(ChargeDeclined):
        charge_saved(setup=setup, lines=[Line("Session", 5000)], currency="eur")
    payment = Payment.objects.get(purpose=PURPOSE)
    assert payment.status == PaymentStatus.FAILED
    [failed] = payments_server.deliveries("payment_intent.payment_failed")
    for answer in payments_server.deliver_new(client):  # the failure event changes nothing
        assert answer.status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED and recorder.paid == []
    assert "requires_payment_method" in failed["payload"]


def test_an_unsaved_setup_cannot_be_charged(payments_server, client):
    found = setup_start(
        payer=make_user("payer@example.com"), purpose=PURPOSE, purpose_id="7", currency="eur",
        success_url=PAGE, cancel_url=PAGE,
    )  # fmt: skip
    with pytest.raises(ChargeDeclined):
        charge_saved(setup=found.setup, lines=[Line("Session", 5000)], currency="eur")
    assert saved_card_for(purpose=PURPOSE, purpose_id="7") is None
    assert not Payment.objects.exists()


def test_the_test_server_refuses_a_charge_with_another_customers_card(payments_server, client):
    first = saved(payments_server, client, make_user("a@example.com"))
    store = payments_server.store()
    other = store.customer_create({"email": "b@example.com"})
    with pytest.raises(Exception, match="not attached"):
        store.intent_create(
            {"amount": "100", "currency": "eur", "customer": other["id"],
             "payment_method": first.payment_method_id, "confirm": "true", "off_session": "true"}
        )  # fmt: skip
