"""The one place that talks to the payment provider: Stripe through the official library.

With STRIPE_SECRET_KEY set this is Stripe; unset, STRIPE_API_BASE points the same library at
our local Stripe-compatible test server (``masterbus.payments.testserver``), which speaks
Stripe's HTTP API. Nothing here knows which one answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import stripe
from django.conf import settings

from masterbus.payments.errors import ProviderUnavailable

TIMEOUT_S = 20
SignatureError = stripe.SignatureVerificationError


@lru_cache(maxsize=4)
def _client_for(key: str, api_base: str) -> stripe.StripeClient:
    base = {"api": api_base} if api_base else {}
    return stripe.StripeClient(
        key,
        base_addresses=base,
        http_client=stripe.RequestsClient(timeout=TIMEOUT_S),
        max_network_retries=2,  # the library sends an Idempotency-Key with each POST
    )


def client() -> stripe.StripeClient:
    key = settings.STRIPE_SECRET_KEY or ("sk_test_local" if settings.PAYMENTS_TEST_SERVER else "")
    return _client_for(key, settings.STRIPE_API_BASE)


@dataclass(frozen=True)
class Card:
    brand: str
    last4: str


def _call(method, *args):
    """Call the library; a network failure becomes a sentence for people (nothing changed)."""
    try:
        return method(*args).to_dict()  # plain dicts and lists from here on
    except (stripe.APIConnectionError, stripe.RateLimitError) as error:
        raise ProviderUnavailable() from error


def session_create(*, params: dict, idempotency_key: str):
    return _call(client().v1.checkout.sessions.create, params, {"idempotency_key": idempotency_key})


def session_get(session_id: str):
    return _call(client().v1.checkout.sessions.retrieve, session_id)


def session_expire(session_id: str) -> bool:
    """Expire an open checkout session; False if it cannot be (paid or expired already)."""
    try:
        _call(client().v1.checkout.sessions.expire, session_id)
    except stripe.InvalidRequestError:
        return False
    return True


def payment_intent_get(intent_id: str):
    """The PaymentIntent with its latest charge and payment method expanded (card brand and
    last four)."""
    params = {"expand": ["latest_charge", "payment_method"]}
    return _call(client().v1.payment_intents.retrieve, intent_id, params)


def card_of(intent) -> Card:
    """Brand and last four of the card that paid: from the charge's payment_method_details,
    else from the PaymentIntent's payment method. Nothing more of the card is read (P22)."""
    charge = intent.get("latest_charge")
    details = charge.get("payment_method_details") if isinstance(charge, dict) else None
    card = (details or {}).get("card") or {}
    if not card:
        method = intent.get("payment_method")
        card = method.get("card", {}) if isinstance(method, dict) else {}
    return Card(brand=str(card.get("brand") or "")[:20], last4=str(card.get("last4") or "")[:4])


def customer_create(*, email: str, idempotency_key: str):
    """A provider customer: saved cards are attached to one, off-session charges name it."""
    return _call(
        client().v1.customers.create, {"email": email}, {"idempotency_key": idempotency_key}
    )


def setup_intent_get(intent_id: str):
    """The SetupIntent with its payment method expanded (the saved card's brand and last four)."""
    return _call(client().v1.setup_intents.retrieve, intent_id, {"expand": ["payment_method"]})


def off_session_charge(*, params: dict, idempotency_key: str) -> dict | None:
    """Confirm a PaymentIntent now with a saved method, the payer absent; None if the card
    was declined (the provider keeps the failed intent; its webhook event follows)."""
    params = {**params, "confirm": True, "off_session": True}
    try:
        return _call(
            client().v1.payment_intents.create, params, {"idempotency_key": idempotency_key}
        )
    except stripe.CardError:
        return None


def refund_create(*, intent_id: str, amount: int, idempotency_key: str, metadata: dict):
    params = {"payment_intent": intent_id, "amount": amount, "metadata": metadata}
    return _call(client().v1.refunds.create, params, {"idempotency_key": idempotency_key})


def refunds_of(intent_id: str) -> list:
    """Every refund of the payment intent (the API pages by 100; a payment has few)."""
    found = _call(client().v1.refunds.list, {"payment_intent": intent_id, "limit": 100})
    return found["data"]


def account_create(*, email: str, idempotency_key: str):
    """A connected (Express) account for a payee: where their transfers go."""
    params = {
        "type": "express",
        "email": email,
        "capabilities": {"transfers": {"requested": True}},
    }
    return _call(client().v1.accounts.create, params, {"idempotency_key": idempotency_key})


def transfer_create(
    *, amount: int, currency: str, destination: str, group: str, charge_id: str, key: str
):
    """Connect "separate charges and transfers": move the payee's share from the platform's
    balance, tied to the charge it came from (``source_transaction``) and its transfer group."""
    params = {
        "amount": amount,
        "currency": currency,
        "destination": destination,
        "transfer_group": group,
    }
    if charge_id:
        params["source_transaction"] = charge_id
    return _call(client().v1.transfers.create, params, {"idempotency_key": key})


def event_construct(payload: bytes, signature: str):
    """The event, if the payload is signed with our webhook secret (raises otherwise: P19)."""
    event = stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)
    return event.to_dict()
