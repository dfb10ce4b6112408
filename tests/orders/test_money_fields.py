"""The package form takes amounts in the major unit ("100.00") and hands minor units on."""

from __future__ import annotations

from masterbus.orders.forms import PackageForm

BASE = {"name": "Master", "service": "mastering", "turnaround_days": "5", "revisions_included": "2"}


def form(**amounts: str) -> PackageForm:
    return PackageForm({**BASE, "extra_revision_price": "0", "rush_price": "0", **amounts})


def test_amounts_become_minor_units() -> None:
    f = form(price="100.00", extra_revision_price="25.5", rush_price="30")
    assert f.is_valid(), f.errors
    assert (
        f.cleaned_data["price"],
        f.cleaned_data["extra_revision_price"],
        f.cleaned_data["rush_price"],
    ) == (
        10_000,
        2_550,
        3_000,
    )
    assert isinstance(f.cleaned_data["price"], int)


def test_more_than_two_decimals_and_bounds_are_refused() -> None:
    assert "price" in form(price="10.005").errors
    assert "price" in form(price="0.99").errors
    assert "price" in form(price="100000.01").errors
    assert "price" in form(price="ten").errors
    assert "rush_price" in form(price="10", rush_price="-1").errors
