"""Payment writes; the public interface other apps use (see the contracts):
``checkout_start``, ``payment_refund``, ``earning_release``."""

from masterbus.payments.services.checkout import Checkout, Line, checkout_start
from masterbus.payments.services.earnings import earning_release, payouts_run
from masterbus.payments.services.refunds import payment_refund
from masterbus.payments.services.setup import SetupCheckout, charge_saved, setup_start

__all__ = [
    "Checkout",
    "Line",
    "SetupCheckout",
    "charge_saved",
    "checkout_start",
    "earning_release",
    "payment_refund",
    "payouts_run",
    "setup_start",
]
