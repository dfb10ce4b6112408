"""Invoice PDFs (fpdf2), drawn from the stored invoice: the same numbers every time."""

from __future__ import annotations

from fpdf import FPDF

from masterbus.payments.models import Invoice, InvoiceKind
from masterbus.payments.money import format_money


def _text(value: str) -> str:
    """The core PDF fonts speak Latin-1: anything else is replaced, never an error."""
    return (
        value.replace("€", "EUR ").replace("×", "x").encode("latin-1", "replace").decode("latin-1")
    )


def invoice_pdf(invoice: Invoice) -> bytes:

    def money(amount: int) -> str:
        return _text(format_money(amount, invoice.currency))

    pdf = FPDF(format="A4")
    pdf.set_title(f"Invoice {invoice.number}")
    pdf.set_creator("Masterbus")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    title = {
        InvoiceKind.SALE: "Invoice",
        InvoiceKind.FEE: "Invoice (platform fee)",
        InvoiceKind.CREDIT: "Credit note",
    }[invoice.kind]
    pdf.cell(0, 10, _text(f"{title} {invoice.number}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    pdf.cell(0, 6, f"Date: {invoice.issued_at:%Y-%m-%d}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    seller = invoice.seller
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(95, 6, "Seller")
    pdf.cell(0, 6, "Buyer", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    left = [seller.get("name", ""), seller.get("address", "")]
    left += [f"VAT ID: {seller['vat_id']}"] if seller.get("vat_id") else []
    right = [invoice.buyer_name, invoice.buyer_email]
    right += [f"Country: {invoice.buyer_country}"] if invoice.buyer_country else []
    for index in range(max(len(left), len(right))):
        pdf.cell(95, 5, _text(left[index] if index < len(left) else ""))
        pdf.cell(
            0, 5, _text(right[index] if index < len(right) else ""), new_x="LMARGIN", new_y="NEXT"
        )
    pdf.ln(6)
    pdf.set_font("Helvetica", "B", 10)
    for width, label, align in (
        (100, "Description", "L"),
        (20, "Qty", "R"),
        (35, "Unit price", "R"),
        (35, "Amount", "R"),
    ):
        pdf.cell(width, 7, label, border="B", align=align)
    pdf.ln()
    pdf.set_font("Helvetica", size=10)
    for line in invoice.lines:
        pdf.cell(100, 7, _text(line["description"])[:60])
        pdf.cell(20, 7, str(line["quantity"]), align="R")
        pdf.cell(35, 7, money(line["unit"]), align="R")
        pdf.cell(35, 7, money(line["total"]), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    rate = f"{invoice.tax_rate.normalize():f}"
    for label, amount in (
        ("Net", invoice.net),
        (f"VAT {rate} %", invoice.tax),
        ("Total", invoice.total),
    ):
        pdf.set_font("Helvetica", "B" if label == "Total" else "", 10)
        pdf.cell(155, 7, label, align="R")
        pdf.cell(35, 7, money(amount), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", size=8)
    note = (
        f"Prices include VAT at {rate} %."
        if invoice.tax
        else f"VAT rate {rate} % (PAYMENTS_VAT_RATE)."
    )
    pdf.multi_cell(
        0,
        4,
        _text(f"{note} Paid by card through the payment provider; reference {invoice.payment_id}."),
    )
    return bytes(pdf.output())
