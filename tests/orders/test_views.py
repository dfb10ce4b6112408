"""The order pages through HTTP, paid through the official stripe library against the local
test payment server and its signed webhooks: the client orders and pays, the engineer accepts
or declines (refund), versions and notes; who may see what (client, the order's engineer,
another engineer, a stranger)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from masterbus.orders import links
from masterbus.orders.models import Order, OrderStatus
from masterbus.orders.previews import delivery_prepare
from masterbus.orders.services import workflow
from masterbus.payments.models import Earning, EarningStatus, Invoice, Payment, PaymentStatus
from tests.support.orders import approved_engineer, deliver, uploads_of

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ordered_and_paid(payments_server, engineer, client_user, stem_paths, capture) -> Order:
    shopper = browser(client_user)
    package = engineer[1]
    page = shopper.get(reverse("orders:order_new") + f"?package={package.pk}")
    assert page.status_code == 200
    assert "€100.00" in page.text and "€80.00" in page.text and "€20.00" in page.text
    uploads = uploads_of(client_user, stem_paths)
    answer = shopper.post(
        reverse("orders:order_new") + f"?package={package.pk}",
        {"upload_ids": [u.pk for u in uploads], "notes": "louder chorus", "rush": "on"},
    )
    order = Order.objects.get(client=client_user)
    assert answer.status_code == 302 and answer["Location"] == reverse(
        "orders:order", args=[order.pk]
    )
    assert order.total == 13_000 and order.files.count() == 2
    paying = shopper.post(reverse("orders:order_pay", args=[order.pk]))
    assert paying.status_code == 302 and paying["Location"].startswith(payments_server.url)
    assert payments_server.pay(paying["Location"]).status_code == 303
    with capture(execute=True):
        for response in payments_server.deliver_new(Client()):
            assert response.status_code == 200
    order.refresh_from_db()
    return order


def test_order_pay_accept_deliver_approve(
    payments_server, engineer, client_user, stem_paths, django_capture_on_commit_callbacks
):
    order = ordered_and_paid(
        payments_server, engineer, client_user, stem_paths, django_capture_on_commit_callbacks
    )
    assert order.status == OrderStatus.PAID
    payment = Payment.objects.get(purpose="order", purpose_id=str(order.pk))
    assert (payment.payee_share, payment.platform_fee) == (order.engineer_share, order.platform_fee)
    studio = browser(engineer[0])
    queue = studio.get(reverse("orders:studio"))
    assert order.title in queue.text
    assert studio.post(reverse("orders:order_accept", args=[order.pk])).status_code == 302
    version = deliver(Order.objects.get(pk=order.pk), stem_paths[:1])
    delivery_prepare(delivery_id=version.pk)
    shopper = browser(client_user)
    page = shopper.get(reverse("orders:order", args=[order.pk]))
    assert page.status_code == 200 and 'id="ab-player"' in page.text
    master_link = links.file_url("master", version.files.get().pk, client_user)
    assert shopper.get(master_link).status_code == 404  # full resolution after approval only
    shopper.post(reverse("orders:note_add", args=[order.pk]), {"at_seconds": "1.5", "text": "hats"})
    assert "hats" in shopper.get(reverse("orders:order", args=[order.pk])).text
    with django_capture_on_commit_callbacks(execute=True):
        shopper.post(reverse("orders:order_approve", args=[order.pk]), {"rating": "5"})
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED and order.rating == 5
    download = shopper.get(master_link)
    assert download.status_code == 200 and b"".join(download.streaming_content)[:4] == b"RIFF"
    earning = Earning.objects.get(payment=payment)
    assert earning.status == EarningStatus.RELEASED and earning.transfer_id
    assert payments_server.objects("transfer")[0]["amount"] == order.engineer_share
    invoices = {i.kind: i for i in Invoice.objects.filter(payment=payment)}
    sale, fee = invoices["sale"], invoices["fee"]
    assert sale.total == order.total == sum(line["total"] for line in sale.lines)
    assert sale.net + sale.tax == sale.total and fee.total == order.platform_fee
    pdf = shopper.get(reverse("payments:invoice", args=[sale.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content if pdf.streaming else [pdf.content])[:5] == b"%PDF-"


def test_declining_refunds_in_full_and_moves_no_engineer_money(
    payments_server, engineer, client_user, stem_paths, django_capture_on_commit_callbacks
):
    order = ordered_and_paid(
        payments_server, engineer, client_user, stem_paths, django_capture_on_commit_callbacks
    )
    with django_capture_on_commit_callbacks(execute=True):
        browser(engineer[0]).post(
            reverse("orders:order_decline", args=[order.pk]), {"text": "fully booked"}
        )
        for response in payments_server.deliver_new(Client()):
            assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.DECLINED
    payment = Payment.objects.get(purpose="order", purpose_id=str(order.pk))
    assert payment.status == PaymentStatus.REFUNDED and payment.amount_refunded == order.total
    assert Earning.objects.get(payment=payment).status == EarningStatus.CANCELLED
    assert payments_server.objects("transfer") == []


def test_only_the_two_parties_see_an_order_and_links_are_personal(
    engineer, client_user, paid_order, stem_paths
):
    other_engineer, _ = approved_engineer("bob-engineer@example.com", "Bob Beats")
    page = reverse("orders:order", args=[paid_order.pk])
    assert browser(client_user).get(page).status_code == 200
    assert browser(engineer[0]).get(page).status_code == 200
    assert browser(other_engineer).get(page).status_code == 404
    assert Client().get(page).status_code == 302  # to sign in
    stem = paid_order.files.first()
    mine = links.file_url("source", stem.pk, client_user)
    assert browser(client_user).get(mine).status_code == 200
    assert browser(engineer[0]).get(mine).status_code == 404  # made for the client
    assert browser(other_engineer).get(mine).status_code == 404
    for move in ("order_accept", "order_decline", "delivery_add"):
        answer = browser(other_engineer).post(reverse(f"orders:{move}", args=[paid_order.pk]))
        assert answer.status_code == 404
    answer = browser(engineer[0]).post(reverse("orders:order_approve", args=[paid_order.pk]))
    assert answer.status_code == 404  # the engineer cannot approve for the client
    paid_order.refresh_from_db()
    assert paid_order.status == OrderStatus.PAID


def test_public_pages_list_only_approved_engineers(engineer, client):
    from masterbus.orders.services.engineers import engineer_apply
    from tests.platform.fixtures import make_user

    engineer_apply(
        user=make_user("hopeful@example.com"), display_name="Hopeful", services=["mixing"]
    )
    listing = client.get(reverse("orders:engineers"))
    assert "Erin Audio" in listing.text and "Hopeful" not in listing.text
    profile = engineer[1].engineer
    page = client.get(reverse("orders:engineer", args=[profile.pk]))
    assert page.status_code == 200 and "Mix and master" in page.text and "€100.00" in page.text


def test_a_round_bought_after_the_included_ones_pays_and_is_released_on_approval(
    payments_server, engineer, client_user, stem_paths, django_capture_on_commit_callbacks
):
    order = ordered_and_paid(
        payments_server, engineer, client_user, stem_paths, django_capture_on_commit_callbacks
    )
    workflow.order_accept(order=order)
    deliver(order, stem_paths[:1])
    workflow.revision_request(order=order)  # the package's one round
    deliver(order, stem_paths[:1])
    shopper = browser(client_user)
    page = shopper.get(reverse("orders:order", args=[order.pk]))
    assert "Buy another revision round (€25.00)" in page.text
    buying = shopper.post(reverse("orders:round_buy", args=[order.pk]))
    assert buying.status_code == 302 and buying["Location"].startswith(payments_server.url)
    assert payments_server.pay(buying["Location"]).status_code == 303
    with django_capture_on_commit_callbacks(execute=True):
        for response in payments_server.deliver_new(Client()):
            assert response.status_code == 200
    order.refresh_from_db()
    assert (order.revisions_included, order.total) == (2, 13_000 + 2_500)
    assert order.engineer_share + order.platform_fee == order.total
    workflow.revision_request(order=order, text="one more pass")
    deliver(order, stem_paths[:1])
    with django_capture_on_commit_callbacks(execute=True):
        workflow.order_approve(order=Order.objects.get(pk=order.pk))
    released = Earning.objects.filter(payee=engineer[0], status=EarningStatus.RELEASED)
    assert sorted(e.amount for e in released) == [2_000, 10_400]
    assert sum(t["amount"] for t in payments_server.objects("transfer")) == order.engineer_share


def test_the_engineer_role_is_granted_by_staff_and_audited(client_user):
    from masterbus.accounts.models import User
    from masterbus.orders.models import EngineerProfile
    from masterbus.rights.models import AuditEvent

    applying = browser(client_user)
    answer = applying.post(
        reverse("orders:apply"),
        {"display_name": "Carl Mixes", "services": ["mixing"], "genres": "jazz"},
    )
    assert answer.status_code == 302
    profile = EngineerProfile.objects.get(user=client_user)
    assert not profile.is_approved
    approve = reverse("orders:application_approve", args=[profile.pk])
    assert applying.post(approve).status_code == 302  # to the admin's sign-in: not staff
    profile.refresh_from_db()
    assert not profile.is_approved and not AuditEvent.objects.exists()
    staff = User.objects.create_superuser("boss@example.com", "correct horse battery")
    assert "Carl Mixes" in browser(staff).get(reverse("orders:applications")).text
    browser(staff).post(approve)
    profile.refresh_from_db()
    assert profile.is_approved and profile.approved_by == staff
    event = AuditEvent.objects.get(action_name="engineer_approve")
    assert (event.actor, event.object_id) == (staff, str(profile.pk))
    assert "Carl Mixes" in Client().get(reverse("orders:engineers")).text


def test_staff_settle_a_dispute_for_the_client_with_a_full_refund(
    payments_server, engineer, client_user, stem_paths, django_capture_on_commit_callbacks
):
    from masterbus.accounts.models import User
    from masterbus.rights.models import AuditEvent

    order = ordered_and_paid(
        payments_server, engineer, client_user, stem_paths, django_capture_on_commit_callbacks
    )
    workflow.order_accept(order=order)
    deliver(order, stem_paths[:1])
    workflow.order_dispute(order=order, text="not what I asked for")
    staff = User.objects.create_superuser("boss@example.com", "correct horse battery")
    with django_capture_on_commit_callbacks(execute=True):
        answer = browser(staff).post(
            reverse("admin:orders_order_changelist"),
            {"action": "settle_for_client", "_selected_action": [str(order.pk)]},
        )
        assert answer.status_code == 302
        for response in payments_server.deliver_new(Client()):
            assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    payment = Payment.objects.get(purpose="order", purpose_id=str(order.pk))
    assert payment.status == PaymentStatus.REFUNDED
    assert Earning.objects.get(payment=payment).status == EarningStatus.CANCELLED
    assert payments_server.objects("transfer") == []
    assert AuditEvent.objects.filter(action_name="settle_for_client", actor=staff).exists()


def test_webhooks_delivered_again_or_out_of_order_pay_the_order_once(
    payments_server, engineer, client_user, stem_paths, django_capture_on_commit_callbacks
):
    from masterbus.messaging.models import Notification

    order = ordered_and_paid(
        payments_server, engineer, client_user, stem_paths, django_capture_on_commit_callbacks
    )
    with django_capture_on_commit_callbacks(execute=True):
        for delivery in reversed(payments_server.deliveries()):  # again, and backwards
            assert payments_server.deliver(Client(), delivery).status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.events.filter(kind="paid").count() == 1
    assert Notification.objects.filter(user=engineer[0], title__endswith="Paid").count() == 1


def test_a_payment_arriving_after_the_order_was_cancelled_is_refunded(
    payments_server, engineer, client_user, stem_paths, django_capture_on_commit_callbacks
):
    from masterbus.orders.services import ordering
    from tests.support.orders import place

    order = place(client_user, engineer[1], stem_paths[:1])
    checkout = ordering.order_checkout(order=order, success_url="http://x/", cancel_url="http://x/")
    workflow.order_cancel(order=order)
    assert payments_server.pay(checkout.url).status_code == 303
    with django_capture_on_commit_callbacks(execute=True):
        for response in payments_server.deliver_new(Client()):
            assert response.status_code == 200
        for response in payments_server.deliver_new(Client()):  # the refund's events
            assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    payment = Payment.objects.get(pk=checkout.payment.pk)
    assert payment.status == PaymentStatus.REFUNDED and payment.amount_refunded == order.total
    assert Earning.objects.get(payment=payment).status == EarningStatus.CANCELLED
