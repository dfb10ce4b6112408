"""Payment pages: the payer's payments, the payee's earnings, invoice
downloads and the finance export. Thin: each calls one service or selector."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from masterbus.core import access
from masterbus.payments import selectors
from masterbus.payments.pdf import invoice_pdf
from masterbus.payments.services.finance import finance_export, finance_invoice_pdf

logger = logging.getLogger(__name__)


@access.signed_in
@require_GET
def payments(request: HttpRequest) -> HttpResponse:
    context = {
        "payments": selectors.payments_for_payer(request.user)[:200],
        "invoices": selectors.invoices_for_owner(request.user)[:200],
        "retention_years": settings.PAYMENTS_RETENTION_DAYS // 365,
    }
    return render(request, "payments/payments.html", context)


@access.signed_in
@require_GET
def earnings(request: HttpRequest) -> HttpResponse:
    context = {
        "totals": selectors.earnings_summary(request.user),
        "earnings": selectors.earnings_for(request.user)[:200],
        "payouts": selectors.payouts_for(request.user)[:50],
    }
    return render(request, "payments/earnings.html", context)


def _pdf(invoice, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.pdf"'
    return response


@access.signed_in
@require_GET
def invoice_download(request: HttpRequest, invoice_id) -> HttpResponse:
    """The user's own invoice (as payer, or as payee for the platform fee); else 404."""
    invoice = get_object_or_404(selectors.invoices_for_owner(request.user), pk=invoice_id)
    return _pdf(invoice, invoice_pdf(invoice))


@access.staff
@staff_member_required
@require_GET
def finance_invoice(request: HttpRequest, invoice_id) -> HttpResponse:
    """Any invoice, for finance staff (P20: the role, not just is_staff)."""
    if not selectors.is_finance(request.user):
        return HttpResponseForbidden("Finance role required.", content_type="text/plain")
    invoice = get_object_or_404(selectors.invoices_for_finance(request.user), pk=invoice_id)
    return _pdf(invoice, finance_invoice_pdf(actor=request.user, invoice=invoice))


@access.staff
@staff_member_required
@require_GET
def finance_csv(request: HttpRequest) -> HttpResponse:
    if not selectors.is_finance(request.user):
        return HttpResponseForbidden("Finance role required.", content_type="text/plain")
    try:
        year = int(request.GET.get("year") or timezone.now().year)
    except ValueError:
        return HttpResponseBadRequest("year must be a number", content_type="text/plain")
    if not 2000 <= year <= 9999:
        return HttpResponseBadRequest("year out of range", content_type="text/plain")
    response = HttpResponse(finance_export(actor=request.user, year=year), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="invoices-{year}.csv"'
    return response
