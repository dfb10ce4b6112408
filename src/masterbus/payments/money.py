"""Money in integer minor units next to its currency; the platform's fee rule.

Rounding rule (one for every split): the platform fee is ``amount × percent / 100`` rounded half
up to the minor unit, and the payee gets the rest, so ``payee_share + platform_fee == amount``
always and no cent is created or lost. The rules are named in settings
(``PAYMENTS_FEE_RULES = {"orders": "20"}``: percent as a decimal string) and the split is written
into the payment when it is paid, so a later change of the rule never touches it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from masterbus.payments.errors import UnknownFeeRule

# Currencies without a minor unit (Stripe's zero-decimal list, the ones we could meet).
ZERO_DECIMAL = frozenset({"jpy", "krw", "clp", "vnd", "isk", "huf", "twd", "ugx"})
SYMBOLS = {"eur": "€", "usd": "$", "gbp": "£", "jpy": "¥"}


def fee_percent(rule: str) -> Decimal:
    """The platform's percentage under the named rule (settings PAYMENTS_FEE_RULES)."""
    try:
        percent = Decimal(str(settings.PAYMENTS_FEE_RULES[rule]))
    except KeyError as missing:
        raise UnknownFeeRule(rule) from missing
    if not Decimal(0) <= percent <= Decimal(100):
        raise UnknownFeeRule(rule)
    return percent


def split_by_percent(amount_minor: int, percent: Decimal) -> tuple[int, int]:
    """(payee_share, platform_fee): the fee rounded half up, the payee gets the rest."""
    if amount_minor < 0:
        raise ValueError("amount must not be negative")
    fee = int((Decimal(amount_minor) * percent / 100).quantize(Decimal(1), ROUND_HALF_UP))
    return amount_minor - fee, fee


def split(amount_minor: int, *, rule: str) -> tuple[int, int]:
    """(payee_share, platform_fee) of an amount by the named fee rule (see the module doc)."""
    return split_by_percent(amount_minor, fee_percent(rule))


def scale(share: int, *, part: int, whole: int) -> int:
    """``share × part / whole`` rounded down: the payee's share of a partial amount (what is
    left after a partial refund); the platform carries the rounding, never the payee's money
    beyond what was paid."""
    return share * part // whole if whole else 0


def minor_digits(currency: str) -> int:
    return 0 if currency.lower() in ZERO_DECIMAL else 2


def format_money(amount_minor: int, currency: str) -> str:
    """'€12.50', 'CHF 12.50', '¥1200': for pages, e-mails and invoices."""
    digits = minor_digits(currency)
    sign = "-" if amount_minor < 0 else ""
    value = abs(amount_minor)
    text = f"{value // 10**digits:,}" + (f".{value % 10**digits:0{digits}d}" if digits else "")
    symbol = SYMBOLS.get(currency.lower())
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{currency.upper()} {text}"
