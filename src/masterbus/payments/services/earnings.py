"""The payee's share: released once (Connect transfer), then batched into payouts."""

from __future__ import annotations

import logging
from collections import defaultdict

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from masterbus.payments import provider
from masterbus.payments.models import Earning, EarningStatus, PayeeAccount, Payment, Payout

logger = logging.getLogger(__name__)


def earning_release(*, payment: Payment) -> Earning | None:
    """Release the payee's share of a payment exactly once: one conditional UPDATE moves it
    pending → released (of concurrent callers one wins, the others get None), then the
    share is transferred to the payee's connected account. A transfer that fails is sent
    again by ``earnings_transfer_due`` (same idempotency key: never twice)."""
    moved = Earning.objects.filter(
        payment=payment, status=EarningStatus.PENDING, amount__gt=0
    ).update(status=EarningStatus.RELEASED, released_at=timezone.now())
    if not moved:
        return None
    earning = Earning.objects.select_related("payment", "payee").get(payment=payment)
    try:
        earning_transfer(earning=earning)
    except Exception:
        logger.exception("transfer of earning %s failed; it will be retried", earning.pk)
    return earning


def payee_account_ensure(*, user) -> PayeeAccount:
    """The payee's connected account, created at the provider on first need."""
    found = PayeeAccount.objects.filter(user=user).first()
    if found is not None:
        return found
    account = provider.account_create(email=user.email, idempotency_key=f"account-{user.pk}")
    found, _ = PayeeAccount.objects.get_or_create(
        user=user, defaults={"provider_account_id": account["id"]}
    )
    return found


def earning_transfer(*, earning: Earning) -> Earning:
    if earning.transfer_id or earning.payee is None:
        return earning
    account = payee_account_ensure(user=earning.payee)
    transfer = provider.transfer_create(
        amount=earning.amount,
        currency=earning.currency,
        destination=account.provider_account_id,
        group=earning.payment.transfer_group,
        charge_id=earning.payment.charge_id,
        key=f"release-{earning.pk}",
    )
    Earning.objects.filter(pk=earning.pk, transfer_id="").update(transfer_id=transfer["id"])
    earning.transfer_id = transfer["id"]
    return earning


def earnings_transfer_due() -> int:
    """Periodic: send the transfers of released earnings whose transfer did not go through."""
    due = Earning.objects.filter(status=EarningStatus.RELEASED, transfer_id="", payee__isnull=False)
    done = 0
    for earning in due.select_related("payment", "payee")[:100]:
        earning_transfer(earning=earning)
        done += 1
    return done


def payouts_run(*, now=None) -> int:
    """Batch each payee's transferred earnings (released before today, UTC) into one payout
    per currency: at most one payout per payee and currency a day. Returns how many."""
    today = (now or timezone.now()).replace(hour=0, minute=0, second=0, microsecond=0)
    ready = Earning.objects.filter(
        status=EarningStatus.RELEASED,
        payout__isnull=True,
        released_at__lt=today,
        payee__isnull=False,
    ).exclude(transfer_id="")
    groups: dict[tuple, list] = defaultdict(list)
    for pk, payee_id, currency in ready.values_list("pk", "payee_id", "currency"):
        groups[(payee_id, currency)].append(pk)
    made = 0
    for (payee_id, currency), ids in groups.items():
        with transaction.atomic():
            payout = Payout.objects.create(payee_id=payee_id, currency=currency, amount=0)
            moved = Earning.objects.filter(
                pk__in=ids, status=EarningStatus.RELEASED, payout__isnull=True
            ).update(status=EarningStatus.PAID_OUT, payout=payout)
            if not moved:  # another run took them
                payout.delete()
                continue
            total = payout.earnings.aggregate(total=Sum("amount"))["total"]
            Payout.objects.filter(pk=payout.pk).update(amount=total)
            made += 1
    return made
