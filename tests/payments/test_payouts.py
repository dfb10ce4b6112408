"""Released shares become payouts: one per payee and currency a day, each earning once; a
transfer that failed at release is sent again by the periodic job."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from masterbus.payments.models import Earning, EarningStatus, Payout
from masterbus.payments.services import earning_release, payouts_run
from masterbus.payments.services.earnings import earnings_transfer_due
from tests.payments.helpers import paid

pytestmark = pytest.mark.django_db


def test_payouts_batch_the_released_earnings_per_payee(payments_server, client, alice, bob):
    first = paid(payments_server, client, alice, bob, amount=10_000, purpose_id="1")
    second = paid(payments_server, client, alice, bob, amount=5_000, purpose_id="2")
    pending = paid(payments_server, client, alice, bob, amount=7_000, purpose_id="3")
    earning_release(payment=first)
    earning_release(payment=second)
    assert payouts_run() == 0  # released today: in tomorrow's payout
    tomorrow = timezone.now() + timedelta(days=1)
    assert payouts_run(now=tomorrow) == 1
    [payout] = Payout.objects.all()
    assert (payout.payee, payout.amount) == (bob, 8_000 + 4_000)
    assert set(payout.earnings.values_list("status", flat=True)) == {EarningStatus.PAID_OUT}
    assert Earning.objects.get(payment=pending).status == EarningStatus.PENDING
    assert payouts_run(now=tomorrow) == 0  # each earning once


def test_a_failed_transfer_is_sent_again(payments_server, client, alice, bob, settings):
    payment = paid(payments_server, client, alice, bob, amount=10_000)
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # the provider is unreachable
    earning = earning_release(payment=payment)
    assert earning.status == EarningStatus.RELEASED and earning.transfer_id == ""
    settings.STRIPE_API_BASE = payments_server.url
    assert earnings_transfer_due() == 1
    [transfer] = payments_server.objects("transfer")
    assert Earning.objects.get(pk=earning.pk).transfer_id == transfer["id"]
    assert earnings_transfer_due() == 0


def test_the_payouts_command(payments_server, client, alice, bob):
    earning_release(payment=paid(payments_server, client, alice, bob, amount=10_000))
    Earning.objects.update(released_at=timezone.now() - timedelta(days=1))
    out = StringIO()
    call_command("payouts_run", stdout=out)
    assert "0 transfer(s) sent, 1 payout(s) made" in out.getvalue()
