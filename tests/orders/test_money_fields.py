"""The package form takes amounts in the major unit ("100.00") and hands minor units on; the
earnings page names what a payment was for."""

from __future__ import annotations

from django.test import Client

from masterbus.orders.forms import PackageForm
from masterbus.payments.models import Payment
from masterbus.payments.purposes import title_of

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


def test_earnings_name_what_was_paid_for(engineer, client_user, paid_order) -> None:
    """The payee's earnings say which order a payment was for, not an id fragment."""
    payment = Payment.objects.get(purpose="order", purpose_id=str(paid_order.pk))
    assert paid_order.title and title_of(payment) == paid_order.title
    browser = Client()
    browser.force_login(engineer[0])
    page = browser.get("/settings/earnings/").content.decode()
    assert paid_order.title in page and str(paid_order.pk)[:8] not in page
