"""``manage.py payouts_run``: batch released earnings into payouts now (the periodic job does
it daily); first sends any transfer that failed at release."""

from django.core.management.base import BaseCommand

from masterbus.payments.services.earnings import earnings_transfer_due, payouts_run


class Command(BaseCommand):
    help = "Send pending transfers, then batch released earnings into payouts."

    def handle(self, *args, **options) -> None:
        sent = earnings_transfer_due()
        made = payouts_run()
        self.stdout.write(f"{sent} transfer(s) sent, {made} payout(s) made")
