"""Payment writes; the public interface other apps use (see the contracts):
``checkout_start``, ``payment_refund``, ``earning_release``."""

from masterbus.payments.services.checkout import Checkout, Line, checkout_start
from masterbus.payments.services.earnings import earning_release, payouts_run
from masterbus.payments.services.refunds import payment_refund

__all__ = [
    "Checkout",
    "Line",
    "checkout_start",
    "earning_release",
    "payment_refund",
    "payouts_run",
]
