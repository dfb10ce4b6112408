"""Payment errors: stable codes for programs, sentences for people."""

from __future__ import annotations

from masterbus.core.errors import DomainError


class PaymentError(DomainError):
    code = "payment_error"


class UnknownFeeRule(PaymentError):
    code = "payment_fee_rule"

    def __init__(self, rule: str) -> None:
        super().__init__(f"No valid platform fee rule named {rule!r} is set.")


class CheckoutInvalid(PaymentError):
    code = "payment_invalid"


class AlreadyPaid(PaymentError):
    code = "payment_already_paid"

    def __init__(self) -> None:
        super().__init__("This has been paid already.")


class NotRefundable(PaymentError):
    code = "payment_not_refundable"


class ProviderUnavailable(PaymentError):
    code = "payment_provider_unavailable"

    def __init__(self) -> None:
        super().__init__(
            "The payment provider cannot be reached just now; nothing was charged. "
            "Please try again in a minute."
        )


class ChargeDeclined(PaymentError):
    """An off-session charge of a saved card was declined; the payer pays at a checkout."""

    code = "payment_declined"

    def __init__(self) -> None:
        super().__init__(
            "The saved card was declined; nothing was charged. Please pay at the checkout."
        )
