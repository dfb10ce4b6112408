"""P24: every order event that tells someone sends an e-mail from its own templates
(templates/orders/email/<event>_*), with the order's link, through messaging's notify; a second
call with the same key sends nothing; an optional kind switched off stays in the history only."""

from __future__ import annotations

import pytest
from django.core import mail

from masterbus.messaging.models import Notification
from masterbus.messaging.services.notifications import email_preferences_set
from masterbus.orders.services.events import RECIPIENTS, event_record

pytestmark = pytest.mark.django_db


def test_every_event_mails_its_recipients_from_its_templates(
    paid_order, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for kind in RECIPIENTS:
            event_record(order=paid_order, kind=kind, text="because", notify_key="t")
    link = f"/orders/{paid_order.pk}/"
    expected = sum(len(roles) for roles in RECIPIENTS.values())
    assert len(mail.outbox) == expected
    for message in mail.outbox:
        assert paid_order.title in message.subject and "{" not in message.subject
        assert link in message.body and "{{" not in message.body and "{%" not in message.body
    to = {tuple(m.to) for m in mail.outbox}
    assert to == {("carl@example.com",), ("erin@example.com",)}
    declined = [m for m in mail.outbox if m.subject.startswith("Your order was declined")]
    assert "because" in declined[0].body and "refunded in full" in declined[0].body


def test_a_repeated_event_mails_once(paid_order, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            event_record(order=paid_order, kind="delivered", text="Version 1", notify_key="1")
    assert len(mail.outbox) == 1


def test_delivery_mail_follows_the_preference_and_stays_in_the_history(
    paid_order, django_capture_on_commit_callbacks
):
    email_preferences_set(user=paid_order.client, enabled={"delivery": False})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event_record(order=paid_order, kind="delivered", text="Version 1", notify_key="1")
    assert mail.outbox == []
    assert Notification.objects.filter(user=paid_order.client, kind="delivery").count() == 1
