"""The test server's saved cards: customers, Checkout in setup mode, SetupIntents, payment
methods attached to customers and PaymentIntents confirmed off-session (``confirm=true``,
``off_session=true``). A mixin of ``store.Store`` (its objects, lock and events); the shared
helpers live in ``objects`` so neither module imports the other."""

from __future__ import annotations

import time

from masterbus.payments.testserver.objects import ApiError, _int, card_brand, new_id, public

# Saved and attached like any card, but every off-session charge of it is declined (Stripe's
# 4000000000000341).
DECLINES_OFF_SESSION = "4000000000000341"


class SavedMethods:
    """Methods of ``Store`` for saved cards (it provides get, _put, _event and lock)."""

    def _method(self, number: str, customer_id: str) -> dict:
        """A card payment method attached to the customer (only brand and last four shown)."""
        return self._put(
            {
                "id": new_id("pm"),
                "object": "payment_method",
                "type": "card",
                "card": {
                    "brand": card_brand(number),
                    "last4": number[-4:],
                    "exp_month": 12,
                    "exp_year": 2034,
                    "country": "DE",
                },
                "customer": customer_id,
                "_declines_off_session": number == DECLINES_OFF_SESSION,
            }
        )

    def _charge_succeeded(self, intent: dict, customer: dict, method: dict) -> dict:
        """The succeeded charge of the whole intent, by the card of this payment method."""
        return self._put(
            {
                "id": new_id("ch"),
                "object": "charge",
                "amount": intent["amount"],
                "amount_captured": intent["amount"],
                "amount_refunded": 0,
                "refunded": False,
                "paid": True,
                "status": "succeeded",
                "currency": intent["currency"],
                "customer": customer["id"],
                "payment_intent": intent["id"],
                "payment_method": method["id"],
                "payment_method_details": {"type": "card", "card": dict(method["card"])},
                "transfer_group": intent["transfer_group"],
                "metadata": {},
                "_transferred": 0,
            }
        )

    def customer_create(self, params: dict) -> dict:
        with self.lock:
            return self._put(
                {
                    "id": new_id("cus"),
                    "object": "customer",
                    "email": params.get("email"),
                    "metadata": params.get("metadata") or {},
                }
            )

    def setup_session_create(self, params: dict) -> dict:
        """Checkout in setup mode: the card is saved to the customer, nothing is charged."""
        customer = self.get(str(params.get("customer", "")), "customer")
        for name in ("success_url", "cancel_url"):
            if not str(params.get(name, "")).startswith(("http://", "https://")):
                raise ApiError(400, f"{name} must be an absolute URL.")
        session_id = new_id("cs_test")
        return self._put(
            {
                "id": session_id,
                "object": "checkout.session",
                "mode": "setup",
                "status": "open",
                "payment_status": "no_payment_required",
                "url": f"{self.public_url}/pay/{session_id}",
                "amount_total": None,
                "currency": params.get("currency"),
                "client_reference_id": params.get("client_reference_id"),
                "customer": customer["id"],
                "metadata": params.get("metadata") or {},
                "payment_intent": None,
                "setup_intent": None,
                "success_url": params["success_url"],
                "cancel_url": params["cancel_url"],
                "expires_at": int(time.time()) + 24 * 3600,
                "_lines": [],
                "_setup_data": params.get("setup_intent_data") or {},
            }
        )

    def _setup_complete(self, session: dict, number: str) -> dict:
        method = self._method(number, session["customer"])
        setup = self._put(
            {
                "id": new_id("seti"),
                "object": "setup_intent",
                "status": "succeeded",
                "usage": "off_session",
                "customer": session["customer"],
                "payment_method": method["id"],
                "metadata": session["_setup_data"].get("metadata") or {},
            }
        )
        session.update(status="complete", setup_intent=setup["id"])
        self._event("setup_intent.succeeded", setup)
        self._event("checkout.session.completed", session)
        return session

    def intent_create(self, params: dict) -> dict:
        """A PaymentIntent confirmed at once with a saved method (``confirm=true``,
        ``off_session=true``): succeeded with a charge, or declined with Stripe's 402 card_error
        carrying the intent (status ``requires_payment_method``)."""
        with self.lock:
            amount = _int(params, "amount", minimum=1)
            if str(params.get("confirm")) != "true" or str(params.get("off_session")) != "true":
                raise ApiError(400, "This test server creates confirm=true, off_session=true only.")
            customer = self.get(str(params.get("customer", "")), "customer")
            method = self.get(str(params.get("payment_method", "")), "payment_method")
            if method["customer"] != customer["id"]:
                raise ApiError(400, "The payment method is not attached to this customer.")
            intent = self._put(
                {
                    "id": new_id("pi"),
                    "object": "payment_intent",
                    "amount": amount,
                    "amount_received": 0,
                    "currency": params.get("currency"),
                    "status": "processing",
                    "customer": customer["id"],
                    "payment_method": method["id"],
                    "metadata": params.get("metadata") or {},
                    "transfer_group": params.get("transfer_group"),
                    "latest_charge": None,
                    "last_payment_error": None,
                }
            )
            if method["_declines_off_session"]:
                error = {"type": "card_error", "code": "card_declined", "message": "Declined."}
                intent.update(status="requires_payment_method", last_payment_error=error)
                self._event("payment_intent.payment_failed", intent)
                raise ApiError(
                    402,
                    "Your card was declined.",
                    kind="card_error",
                    code="card_declined",
                    extra={"decline_code": "generic_decline", "payment_intent": public(intent)},
                )
            charge = self._charge_succeeded(intent, customer, method)
            intent.update(status="succeeded", amount_received=amount, latest_charge=charge["id"])
            self._event("charge.succeeded", charge)
            self._event("payment_intent.succeeded", intent)
            return intent
