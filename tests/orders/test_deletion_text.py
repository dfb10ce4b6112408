"""P32 for orders: a deleted account's orders stay with the other side (financial records), and
the free text the deleted person wrote into them goes: the client's session notes, revision
notes and the words of revision requests and disputes; the engineer's version messages. What
the other side wrote stays."""

from __future__ import annotations

import pytest

from masterbus.orders.models import Delivery, EventKind, Order, OrderEvent, RevisionNote
from masterbus.rights.deletion import REMOVED, user_purge
from tests.support.orders import place

pytestmark = pytest.mark.django_db
SECRET = "Call Carl Client on +49 30 1234567"


@pytest.fixture
def order_with_text(engineer, client_user, stem_paths) -> Order:
    order = place(client_user, engineer[1], stem_paths)
    Order.objects.filter(pk=order.pk).update(notes=SECRET)
    delivery = Delivery.objects.create(order=order, number=1, message="Erin here: v1, loud.")
    RevisionNote.objects.create(delivery=delivery, at_seconds=1.5, text=SECRET)
    OrderEvent.objects.create(order=order, kind=EventKind.REVISION_REQUESTED, text=SECRET)
    OrderEvent.objects.create(order=order, kind=EventKind.DISPUTED, text=SECRET)
    OrderEvent.objects.create(order=order, kind=EventKind.DELIVERED, text="Version 1 is here.")
    return order


def test_the_clients_text_goes_and_the_order_stays(order_with_text, client_user, engineer):
    user_purge(user=client_user)
    order = Order.objects.get(pk=order_with_text.pk)
    assert order.client is None and order.engineer == engineer[0] and order.total > 0
    assert order.notes == ""
    note = RevisionNote.objects.get(delivery__order=order)
    assert (note.text, note.at_seconds) == (REMOVED, 1.5)
    kinds = dict(order.events.values_list("kind", "text"))
    assert kinds[EventKind.REVISION_REQUESTED] == kinds[EventKind.DISPUTED] == ""
    assert kinds[EventKind.DELIVERED] == "Version 1 is here."  # not the client's words
    assert order.deliveries.get().message == "Erin here: v1, loud."  # the engineer's words
    assert not any(SECRET in str(value) for value in _texts(order))


def test_the_engineers_messages_go_and_the_clients_text_stays(order_with_text, engineer):
    user_purge(user=engineer[0])
    order = Order.objects.get(pk=order_with_text.pk)
    assert order.engineer is None and order.client is not None
    assert order.deliveries.get().message == ""
    assert order.notes == SECRET and RevisionNote.objects.get().text == SECRET


def _texts(order: Order) -> list[str]:
    return [
        order.notes,
        *order.events.values_list("text", flat=True),
        *RevisionNote.objects.filter(delivery__order=order).values_list("text", flat=True),
    ]
