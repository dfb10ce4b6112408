"""The signed agreement of a booking as a PDF sealed with the platform's key (pyHanko).

Drawn from the stored booking and agreement only, so it says what was frozen at booking: the
studio, the room, the times (the studio's zone and UTC), the price lines, the cancellation tiers
copied onto the booking, the exact text signed, the signer's typed name, the time, the text's
SHA-256 and the terms' version. The exact text is also attached as ``terms.txt`` (UTF-8), since
the PDF's core fonts draw Latin-1 only: anyone can hash the attachment and compare.

The seal is a PAdES signature over the whole file: a party verifies it against the platform
certificate (``signing.certificate()``), and any byte changed afterwards breaks it. Made on
request: a two-page PDF and one ECDSA signature take a few tens of milliseconds.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
from concurrent.futures import ThreadPoolExecutor

from fpdf import FPDF
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers

from masterbus.payments.money import format_money
from masterbus.studios import policies, signing
from masterbus.studios.models import Agreement, DocumentKind

FIELD = "PlatformSeal"
ATTACHMENT = "terms.txt"


def _latin(value: str) -> str:
    """What the core fonts can draw; anything else becomes "?" (the attachment is exact)."""
    value = value.replace("€", "EUR ").replace("–", "-").replace("×", "x")
    return value.encode("latin-1", "replace").decode("latin-1")


def _when(moment: dt.datetime, zone) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")


def agreement_pdf_unsealed(agreement: Agreement) -> bytes:
    booking = agreement.booking
    room = booking.room
    studio = room.studio
    zone = studio.zone

    pdf = FPDF(format="A4")
    pdf.set_compression(False)  # the printed hash stays readable in the file itself
    pdf.set_title(_latin(f"Booking agreement {booking.pk}"))
    pdf.set_creator("Masterbus")
    pdf.add_page()

    def line(text: str, *, bold: bool = False, size: int = 10) -> None:
        pdf.set_font("Helvetica", "B" if bold else "", size)
        pdf.multi_cell(0, 5 if size <= 10 else 8, _latin(text), new_x="LMARGIN", new_y="NEXT")

    charge = agreement.kind == DocumentKind.CHARGE
    line("Additional charge form" if charge else "Booking agreement", bold=True, size=16)
    line(f"Booking {booking.pk}")
    pdf.ln(3)
    line("Studio and room", bold=True)
    line(f"{studio.name}, {studio.address}, {studio.city}")
    line(f"Room: {room.name}")
    pdf.ln(3)
    line("When", bold=True)
    line(f"{_when(booking.starts_at, zone)} to {_when(booking.ends_at, zone)} ({studio.time_zone})")
    line(f"{_when(booking.starts_at, dt.UTC)} to {_when(booking.ends_at, dt.UTC)} (UTC)")
    pdf.ln(3)
    line("Price", bold=True)
    for item in booking.price_lines:
        amount = format_money(item["amount"] * item["quantity"], booking.currency)
        line(f"{item['description']} (x{item['quantity']}): {amount}")
    line(f"Total: {format_money(booking.total, booking.currency)}", bold=True)
    line(f"Paid when booking: {format_money(booking.deposit, booking.currency)}")
    pdf.ln(3)
    line("Cancellation (copied onto the booking when it was made)", bold=True)
    for sentence in policies.describe(booking.policy_tiers):
        line(sentence)
    pdf.ln(3)
    if agreement.kind == DocumentKind.CHARGE:
        line(f"Additional charge form, version {agreement.terms_version}, as signed", bold=True)
    else:
        line(f"The studio's terms, version {agreement.terms_version}, as signed", bold=True)
    line(agreement.text)
    pdf.ln(3)
    line("Signature", bold=True)
    line(f"Signed by typing the name: {agreement.signed_name}")
    line(f"Signed at: {_when(agreement.signed_at, zone)} / {_when(agreement.signed_at, dt.UTC)}")
    line(f"{'Form' if charge else 'Terms'} version: {agreement.terms_version}")
    line("SHA-256 of the text (UTF-8):")
    pdf.set_font("Courier", "", 9)
    pdf.cell(0, 5, agreement.text_sha256, new_x="LMARGIN", new_y="NEXT")
    line(
        f"The exact text is attached as {ATTACHMENT}. This document is sealed by the platform; "
        "its signature verifies against the platform certificate."
    )
    pdf.embed_file(
        bytes=agreement.text.encode("utf-8"),
        basename=ATTACHMENT,
        modification_date=agreement.signed_at,
        mime_type="text/plain",
    )
    return bytes(pdf.output())


def agreement_pdf(agreement: Agreement) -> bytes:
    """The signed document's PDF (the terms or an additional-charge form), sealed with the
    platform key."""
    writer = IncrementalPdfFileWriter(io.BytesIO(agreement_pdf_unsealed(agreement)))
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD, reason="Booking agreement sealed by the platform", md_algorithm="sha256"
    )
    sealed = _run(lambda: signers.async_sign_pdf(writer, metadata, signer=signing.signer()))
    return sealed.getvalue()


def _run(make_coroutine):
    """pyHanko signs with asyncio: run it here, or in a helper thread when this thread already
    runs an event loop (an async server or test), where ``asyncio.run`` refuses."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make_coroutine())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make_coroutine())).result()
