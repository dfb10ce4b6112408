"""Invoices: numbered without gaps or duplicates (also under concurrency), totals that add up,
the tax line stated, the PDF showing the stored numbers."""

from __future__ import annotations

import re
import threading
import zlib
from decimal import Decimal

import pytest
from django.db import close_old_connections, transaction
from django.utils import timezone

from masterbus.payments.models import Invoice, InvoiceCounter
from masterbus.payments.pdf import invoice_pdf
from masterbus.payments.services import payment_refund
from masterbus.payments.services.invoices import invoice_number_next, tax_split
from tests.payments.helpers import paid
from tests.payments.world import paid_payment


def pdf_text(data: bytes) -> str:
    """The text drawn by the PDF's content streams (fpdf2 writes them Flate-compressed)."""
    found = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            continue
        found += [m.decode("latin-1") for m in re.findall(rb"\((.*?)\)\s*Tj", content)]
    return "\n".join(found)


@pytest.mark.parametrize(
    ("total", "rate", "net", "tax"),
    [
        (11_900, "19", 10_000, 1_900),
        (10_000, "0", 10_000, 0),
        (1, "19", 1, 0),
        (999, "7.7", 928, 71),
    ],
)
def test_tax_split_adds_up(total, rate, net, tax):
    assert tax_split(total, Decimal(rate)) == (net, tax)


@pytest.mark.django_db
def test_numbers_run_on_per_year_without_gaps():
    year = timezone.now().year
    with transaction.atomic():
        numbers = [invoice_number_next(year=year) for _ in range(3)]
    assert numbers == [f"MB-{year}-000001", f"MB-{year}-000002", f"MB-{year}-000003"]
    with transaction.atomic():
        assert invoice_number_next(year=year + 1) == f"MB-{year + 1}-000001"


@pytest.mark.django_db
def test_a_rolled_back_invoice_gives_its_number_back():
    year = timezone.now().year
    with pytest.raises(RuntimeError), transaction.atomic():
        invoice_number_next(year=year)
        raise RuntimeError("the payment failed to apply")
    with transaction.atomic():
        assert invoice_number_next(year=year) == f"MB-{year}-000001"


@pytest.mark.django_db(transaction=True)
def test_concurrent_invoices_get_distinct_consecutive_numbers():
    year = timezone.now().year
    taken: list[str] = []
    barrier = threading.Barrier(6)

    def issue():
        try:
            barrier.wait()
            for _ in range(5):
                with transaction.atomic():
                    taken.append(invoice_number_next(year=year))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=issue) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken) == [f"MB-{year}-{n:06d}" for n in range(1, 31)]
    assert InvoiceCounter.objects.get(year=year).last == 30


@pytest.mark.django_db
def test_the_invoice_pdf_shows_parties_lines_tax_and_totals(alice, bob, settings):
    settings.PAYMENTS_VAT_RATE = "19"
    settings.PAYMENTS_SELLER = {
        "name": "Masterbus GmbH",
        "address": "Hauptstr. 1, Berlin",
        "vat_id": "DE123456789",
        "email": "",
    }
    payment = paid_payment(alice, bob, 11_900, "pdf")
    sale = payment.invoices.get(kind="sale")
    fee = payment.invoices.get(kind="fee")
    assert (sale.net, sale.tax, sale.total, sale.tax_rate) == (10_000, 1_900, 11_900, 19)
    assert fee.buyer == bob and fee.total == payment.platform_fee == 2_380
    assert fee.net + fee.tax == fee.total
    text = pdf_text(invoice_pdf(sale))
    for expected in (
        sale.number,
        "Masterbus GmbH",
        "DE123456789",
        "alice@example.com",
        "Walk",
        "Net",
        "EUR 100.00",
        "VAT 19 %",
        "EUR 19.00",
        "Total",
        "EUR 119.00",
    ):
        assert expected in text, expected


@pytest.mark.django_db
def test_a_refund_issues_a_credit_note_in_the_same_sequence(
    payments_server, client, alice, bob, settings
):
    settings.PAYMENTS_VAT_RATE = "19"
    payment = paid(payments_server, client, alice, bob, amount=11_900)
    sale = payment.invoices.get(kind="sale")
    refund = payment_refund(payment=payment, amount=2_380, reason="one stem less")
    credit = refund.credit_note
    assert (credit.kind, credit.buyer, credit.total) == ("credit", alice, -2_380)
    assert (credit.net, credit.tax) == (-2_000, -380)
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers[-1] == credit.number and len(set(numbers)) == 3  # sale, fee, credit
    text = pdf_text(invoice_pdf(credit))
    for expected in ("Credit note", credit.number, sale.number, "-EUR 23.80", "-EUR 3.80"):
        assert expected in text, expected
    # A redelivered refund event issues no second credit note.
    for delivery in payments_server.deliveries():
        payments_server.deliver(client, delivery)
    assert Invoice.objects.filter(kind="credit").count() == 1
