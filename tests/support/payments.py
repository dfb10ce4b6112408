"""The local Stripe-compatible test payment server for tests, and helpers to walk a payment.

``payments_server`` starts ``masterbus.payments.testserver`` on a free port in a thread and
points the settings (and so the official ``stripe`` library) at it. It keeps the webhook
deliveries it signed; ``deliver`` posts one, byte for byte with its ``Stripe-Signature``, to our
webhook view, so tests choose the order (out of order, twice, a replay). A test that wants the
server to post them itself over HTTP gives ``webhook_url`` (a live server's).
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import requests
from django.urls import reverse

from masterbus.payments.testserver.server import make_server


@dataclass
class PaymentsServer:
    url: str
    secret: str
    httpd: object
    delivered: set[int] = field(default_factory=set)

    def store(self):
        """The server's objects (read-only use: what the provider holds, e.g. transfers)."""
        return self.httpd.RequestHandlerClass.api.store

    def objects(self, kind: str) -> list[dict]:
        return [obj for obj in self.store().objects.values() if obj["object"] == kind]

    def deliveries(self, *types: str) -> list[dict]:
        found = requests.get(f"{self.url}/_test/deliveries", timeout=10).json()["data"]
        return [d for d in found if not types or d["type"] in types]

    def pay(self, checkout_url: str, card: str = "4242 4242 4242 4242") -> requests.Response:
        """What a person does on the hosted page: submit the card form."""
        action = "decline" if card == "decline" else "pay"
        return requests.post(
            checkout_url, data={"card": card, "action": action}, allow_redirects=False, timeout=10
        )

    def deliver(self, client, delivery: dict, *, signature: str | None = None):
        return client.post(
            reverse("payments:webhook"),
            data=delivery["payload"].encode(),
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=signature if signature is not None else delivery["signature"],
        )

    def deliver_new(self, client) -> list:
        """Deliver, in order, every event not delivered yet by this helper."""
        answers = []
        for index, delivery in enumerate(self.deliveries()):
            if index not in self.delivered:
                self.delivered.add(index)
                answers.append(self.deliver(client, delivery))
        return answers


def start_payments_server(*, webhook_url: str | None = None, secret: str | None = None):
    secret = secret or f"whsec_{secrets.token_hex(16)}"
    httpd = make_server("127.0.0.1", 0, webhook_url=webhook_url, webhook_secret=secret)
    threading.Thread(target=httpd.serve_forever, name="payments-testserver", daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    return PaymentsServer(url=url, secret=secret, httpd=httpd)


@pytest.fixture
def payments_server(settings) -> Iterator[PaymentsServer]:
    server = start_payments_server()
    settings.PAYMENTS_TEST_SERVER = True
    settings.STRIPE_SECRET_KEY = "sk_test_tests"
    settings.STRIPE_API_BASE = server.url
    settings.STRIPE_WEBHOOK_SECRET = server.secret
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()
