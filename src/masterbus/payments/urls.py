from django.urls import path

from masterbus.payments import views, webhook_view

app_name = "payments"
urlpatterns = [
    path("payments/webhook/", webhook_view.webhook, name="webhook"),
    path("settings/payments/", views.payments, name="payments"),
    path("settings/earnings/", views.earnings, name="earnings"),
    path("payments/invoices/<uuid:invoice_id>/", views.invoice_download, name="invoice"),
    path("payments/finance/invoices.csv", views.finance_csv, name="finance_csv"),
    path(
        "payments/finance/invoices/<uuid:invoice_id>/",
        views.finance_invoice,
        name="finance_invoice",
    ),
]
