"""The accountant's CSV export (finance role); each export is in the audit log (P20)."""

from __future__ import annotations

import csv
import io

from masterbus.payments.models import Invoice
from masterbus.payments.pdf import invoice_pdf
from masterbus.rights.audit import audit_record
from masterbus.rights.models import AuditAction

COLUMNS = (
    "number", "kind", "issued_at", "buyer_name", "buyer_country", "currency", "net", "tax",
    "tax_rate", "total", "payment_id", "payment_status", "amount_refunded", "purpose",
    "purpose_id", "card_brand",
)  # fmt: skip


def finance_export(*, actor, year: int) -> str:
    """Every invoice of the year as CSV (amounts in minor units); audited per invoice read."""
    invoices = list(
        Invoice.objects.filter(issued_at__year=year).select_related("payment").order_by("number")
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for invoice in invoices:
        payment = invoice.payment
        writer.writerow([
            invoice.number, invoice.kind, invoice.issued_at.isoformat(), invoice.buyer_name,
            invoice.buyer_country, invoice.currency, invoice.net, invoice.tax, invoice.tax_rate,
            invoice.total, payment.pk, payment.status, payment.amount_refunded, payment.purpose,
            payment.purpose_id, payment.card_brand,
        ])  # fmt: skip
    audit_record(
        actor=actor,
        action=AuditAction.ACTION,
        objects=invoices,
        action_name=f"payments_csv_export_{year}",
    )
    return out.getvalue()


def finance_invoice_pdf(*, actor, invoice: Invoice) -> bytes:
    """Any invoice as PDF for finance staff; the read is in the audit log."""
    audit_record(
        actor=actor,
        action=AuditAction.ACTION,
        objects=[invoice],
        action_name="payments_invoice_download",
    )
    return invoice_pdf(invoice)
