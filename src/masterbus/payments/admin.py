"""Financial records for finance staff (the ``finance`` role's view permissions): read only;
money moves through the services (refunds, releases), never by editing a row."""

from django.contrib import admin

from masterbus.core.admin_views import ReadOnlyAdmin
from masterbus.payments.models import Earning, Invoice, Payment, Payout, Refund


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "purpose", "purpose_id", "amount", "currency", "status")
    list_filter = ("status", "purpose", "currency")
    search_fields = ("purpose_id", "checkout_session_id", "payment_intent_id")
    date_hierarchy = "created_at"
    raw_id_fields = ("payer", "payee")


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "payment", "amount", "status", "reason")
    list_filter = ("status",)
    raw_id_fields = ("payment",)


@admin.register(Earning)
class EarningAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "payee", "amount", "currency", "status", "released_at")
    list_filter = ("status", "currency")
    raw_id_fields = ("payment", "payee", "payout")


@admin.register(Payout)
class PayoutAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "payee", "amount", "currency")
    raw_id_fields = ("payee",)


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ("number", "kind", "issued_at", "buyer_name", "total", "currency")
    list_filter = ("kind",)
    search_fields = ("number",)
    date_hierarchy = "issued_at"
    raw_id_fields = ("payment", "buyer")
