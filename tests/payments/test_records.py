"""Who reads financial records (P18, P20), and how they outlive their people (P23, P32)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from masterbus.accounts.models import User
from masterbus.payments.models import Earning, Invoice, Payment
from masterbus.payments.services.retention import ANONYMOUS, payments_retention_anonymise
from masterbus.rights.audit import DELETED
from masterbus.rights.deletion import user_purge
from masterbus.rights.models import AuditEvent
from masterbus.rights.personal import actor_rows, personal_rows
from masterbus.rights.roles import FINANCE, roles_sync
from tests.payments.world import paid_payment
from tests.platform.fixtures import make_user

pytestmark = pytest.mark.django_db


def staff(email: str, *roles: str) -> User:
    user = User.objects.create_user(email, "correct horse battery staple", is_staff=True)
    roles_sync()
    for role in roles:
        user.groups.add(Group.objects.get(name=role))
    return user


def test_the_finance_export_is_for_the_finance_role_and_audited(client, alice, bob):
    payment = paid_payment(alice, bob, 5_000, "csv")
    url = reverse("payments:finance_csv")
    client.force_login(alice)
    assert client.get(url).status_code in (302, 403)  # not staff: to the admin's sign-in
    client.force_login(staff("support@example.com", "support"))
    assert client.get(url).status_code == 403
    finance = staff("finance@example.com", FINANCE)
    client.force_login(finance)
    answer = client.get(url)
    assert answer.status_code == 200 and answer["Content-Type"] == "text/csv"
    rows = list(csv.DictReader(io.StringIO(answer.content.decode())))
    assert sorted((r["kind"], r["total"]) for r in rows) == [("fee", "1000"), ("sale", "5000")]
    assert all(r["payment_id"] == str(payment.pk) for r in rows)
    logged = AuditEvent.objects.filter(actor=finance, action_name__startswith="payments_csv")
    assert logged.count() == 2
    assert client.get(url, {"year": "soon"}).status_code == 400


def test_invoices_download_for_their_buyer_only(client, alice, bob):
    payment = paid_payment(alice, bob, 5_000, "dl")
    sale = payment.invoices.get(kind="sale")
    fee = payment.invoices.get(kind="fee")
    client.force_login(alice)
    answer = client.get(reverse("payments:invoice", args=[sale.pk]))
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
    assert client.get(reverse("payments:invoice", args=[fee.pk])).status_code == 404
    client.force_login(bob)
    assert client.get(reverse("payments:invoice", args=[fee.pk])).status_code == 200
    assert client.get(reverse("payments:invoice", args=[sale.pk])).status_code == 404
    client.force_login(staff("support@example.com", "support"))
    assert client.get(reverse("payments:finance_invoice", args=[sale.pk])).status_code == 403
    finance = staff("finance@example.com", FINANCE)
    client.force_login(finance)
    assert client.get(reverse("payments:finance_invoice", args=[sale.pk])).status_code == 200
    assert AuditEvent.objects.filter(actor=finance, object_id=str(sale.pk)).exists()


def test_the_pages_show_payments_and_earnings(client, alice, bob):
    paid_payment(alice, bob, 5_000, "pages")
    client.force_login(alice)
    page = client.get(reverse("payments:payments")).content.decode()
    assert "€50.00" in page and "visa ···· 4242" in page and "MB-" in page
    client.force_login(bob)
    page = client.get(reverse("payments:earnings")).content.decode()
    assert "€40.00" in page and "Pending" in page


def test_the_export_has_the_users_payments_but_not_the_payers_details_of_their_earnings(alice, bob):
    paid_payment(alice, bob, 5_000, "export")
    alice_rows = personal_rows(alice)
    assert len(alice_rows[Payment]) == 1 and len(alice_rows[Invoice]) == 1
    bob_rows = personal_rows(bob)
    assert Payment not in bob_rows  # alice's record: bob sees his share only
    assert len(bob_rows[Earning]) == 1 and len(bob_rows[Invoice]) == 1  # his fee invoice
    [shown] = actor_rows(bob)["payments.payment"]
    assert shown["payee_share"] == 4_000 and "billing_email" not in shown


def test_account_deletion_anonymises_payments_and_keeps_them(alice, bob):
    payment = paid_payment(alice, bob, 5_000, "delete")
    user_purge(user=alice)
    payment.refresh_from_db()
    assert payment.payer is None and payment.amount == 5_000 and payment.paid_at is not None
    assert (payment.billing_name, payment.billing_email) == (DELETED, "")
    sale = payment.invoices.get(kind="sale")
    assert (sale.buyer, sale.buyer_name, sale.buyer_email) == (None, DELETED, "")
    assert sale.number.startswith("MB-") and sale.total == 5_000
    user_purge(user=bob)
    payment.refresh_from_db()
    assert payment.payee is None and Earning.objects.get(payment=payment).payee is None


def test_payment_records_are_anonymised_after_seven_years(alice, bob):
    old = paid_payment(alice, bob, 5_000, "old")
    recent = paid_payment(alice, bob, 5_000, "recent")
    Payment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=7 * 366))
    assert payments_retention_anonymise() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.payer, old.payee, old.billing_email, old.billing_name) == (
        None,
        None,
        "",
        ANONYMOUS,
    )
    assert old.anonymised_at is not None and old.amount == 5_000
    assert old.invoices.filter(buyer__isnull=True, buyer_email="").count() == 2
    assert recent.payer == alice and recent.anonymised_at is None
    assert payments_retention_anonymise() == 0  # idempotent


def test_the_finance_role_reads_payment_records(alice):
    finance = staff("finance@example.com", FINANCE)
    for codename in ("view_payment", "view_invoice", "view_earning", "view_refund"):
        assert finance.has_perm(f"payments.{codename}")
    assert not finance.has_perm("payments.change_payment")
    assert not make_user("x@example.com").has_perm("payments.view_payment")
