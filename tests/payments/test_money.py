"""Money rules: the split is exact, the fee rounded half up (stated in payments.money)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from masterbus.payments.errors import UnknownFeeRule
from masterbus.payments.money import format_money, scale, split, split_by_percent


@pytest.mark.parametrize(
    ("amount", "percent", "expected"),
    [
        (10_000, "20", (8_000, 2_000)),
        (12_345, "20", (9_876, 2_469)),
        (1, "50", (0, 1)),  # half a cent rounds up to the platform
        (3, "50", (1, 2)),
        (5, "10", (4, 1)),  # 0.5 -> 1
        (4, "10", (4, 0)),  # 0.4 -> 0
        (999, "0", (999, 0)),
        (999, "100", (0, 999)),
        (0, "20", (0, 0)),
    ],
)
def test_split_examples(amount, percent, expected):
    assert split_by_percent(amount, Decimal(percent)) == expected


@given(
    amount=st.integers(min_value=0, max_value=10**12),
    percent=st.decimals(min_value=0, max_value=100, places=3),
)
@example(amount=1, percent=Decimal("50"))
def test_split_is_exact_and_rounds_the_fee_half_up(amount, percent):
    share, fee = split_by_percent(amount, percent)
    assert share + fee == amount
    assert share >= 0 and fee >= 0
    exact = Decimal(amount) * percent / 100
    assert fee == int(exact.quantize(Decimal(1), ROUND_HALF_UP))
    assert abs(Decimal(fee) - exact) <= Decimal("0.5")


@given(
    share=st.integers(min_value=0, max_value=10**9),
    whole=st.integers(min_value=1, max_value=10**9),
    data=st.data(),
)
def test_a_scaled_share_never_exceeds_the_share(share, whole, data):
    part = data.draw(st.integers(min_value=0, max_value=whole))
    scaled = scale(share, part=part, whole=whole)
    assert 0 <= scaled <= share
    assert scale(share, part=whole, whole=whole) == share


def test_split_by_a_named_rule(settings):
    settings.PAYMENTS_FEE_RULES = {"orders": "12.5"}
    assert split(1000, rule="orders") == (875, 125)
    with pytest.raises(UnknownFeeRule):
        split(1000, rule="nope")


def test_format_money():
    assert format_money(12_345, "eur") == "€123.45"
    assert format_money(5, "usd") == "$0.05"
    assert format_money(1_234_567, "chf") == "CHF 12,345.67"
    assert format_money(1200, "jpy") == "¥1,200"
    assert format_money(-250, "eur") == "-€2.50"
