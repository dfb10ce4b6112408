"""The test server's objects and what each API call does to them (in memory, one lock)."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable

API_VERSION = "2025-09-30.clover"
DECLINED = "4000000000000002"
# Saved and attached like any card, but every off-session charge of it is declined (Stripe's
# 4000000000000341).
DECLINES_OFF_SESSION = "4000000000000341"


class ApiError(Exception):
    """Answered as Stripe does: ``{"error": {"type", "message", "code"}}``."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        kind: str = "invalid_request_error",
        code: str = "",
        extra: dict | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.kind, self.code = status, message, kind, code
        self.extra = extra or {}

    def body(self) -> dict:
        error = {"type": self.kind, "message": self.message, **self.extra}
        if self.code:
            error["code"] = self.code
        return {"error": error}


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def _int(params: dict, name: str, *, minimum: int = 0) -> int:
    try:
        value = int(params[name])
    except (KeyError, ValueError) as error:
        raise ApiError(400, f"Missing or invalid integer: {name}") from error
    if value < minimum:
        raise ApiError(400, f"Invalid {name}: must be at least {minimum}")
    return value


def public(obj: dict) -> dict:
    """The object as the API shows it (our bookkeeping fields start with "_")."""
    return {key: value for key, value in obj.items() if not key.startswith("_")}


def card_brand(number: str) -> str:
    if number.startswith("4"):
        return "visa"
    if number[:2] in {"51", "52", "53", "54", "55"} or number[:1] == "2":
        return "mastercard"
    if number[:2] in {"34", "37"}:
        return "amex"
    return "unknown"


class Store:
    """Every object by id; ``notify`` is called with each new event (webhook delivery)."""

    def __init__(self, *, public_url: str, notify: Callable[[dict], None]) -> None:
        self.public_url = public_url.rstrip("/")
        self.notify = notify
        self.lock = threading.RLock()
        self.objects: dict[str, dict] = {}
        self.events: list[dict] = []
        self.idempotent: dict[tuple[str, str], dict] = {}

    # --- helpers -------------------------------------------------------------------------
    def get(self, object_id: str, kind: str) -> dict:
        found = self.objects.get(object_id)
        if found is None or found["object"] != kind:
            raise ApiError(404, f"No such {kind}: '{object_id}'", code="resource_missing")
        return found

    def _put(self, obj: dict) -> dict:
        obj.setdefault("created", int(time.time()))
        obj.setdefault("livemode", False)
        self.objects[obj["id"]] = obj
        return obj

    def _event(self, kind: str, obj: dict) -> None:
        event = {
            "id": new_id("evt"),
            "object": "event",
            "api_version": API_VERSION,
            "created": int(time.time()),
            "data": {"object": public(obj)},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": kind,
        }
        self.events.append(event)
        self.notify(event)

    def expand(self, obj: dict, paths: list[str]) -> dict:
        """A copy with the named id fields replaced by their objects (``expand[]``)."""
        result = dict(obj)
        for path in paths:
            head, _, rest = path.partition(".")
            value = result.get(head)
            if isinstance(value, str) and value in self.objects:
                inner = self.objects[value]
                result[head] = self.expand(inner, [rest]) if rest else public(inner)
        return public(result)

    # --- checkout ------------------------------------------------------------------------
    def session_create(self, params: dict) -> dict:
        if params.get("mode") == "setup":
            return self.setup_session_create(params)
        if params.get("mode") != "payment":
            raise ApiError(400, "This test server supports mode=payment and mode=setup only.")
        items = params.get("line_items") or []
        if not isinstance(items, list) or not items:
            raise ApiError(400, "line_items is required.")
        lines, currency = [], None
        for item in items:
            data = item.get("price_data") or {}
            currency = currency or data.get("currency")
            if data.get("currency") != currency or not currency:
                raise ApiError(400, "Every line needs price_data[currency], all the same.")
            lines.append(
                {
                    "description": (data.get("product_data") or {}).get("name", ""),
                    "unit_amount": _int(data, "unit_amount", minimum=1),
                    "quantity": _int(item, "quantity", minimum=1),
                }
            )
        for name in ("success_url", "cancel_url"):
            if not str(params.get(name, "")).startswith(("http://", "https://")):
                raise ApiError(400, f"{name} must be an absolute URL.")
        session_id = new_id("cs_test")
        intent_data = params.get("payment_intent_data") or {}
        return self._put(
            {
                "id": session_id,
                "object": "checkout.session",
                "mode": "payment",
                "status": "open",
                "payment_status": "unpaid",
                "url": f"{self.public_url}/pay/{session_id}",
                "amount_total": sum(line["unit_amount"] * line["quantity"] for line in lines),
                "currency": currency,
                "client_reference_id": params.get("client_reference_id"),
                "customer": None,
                "customer_email": params.get("customer_email"),
                "metadata": params.get("metadata") or {},
                "payment_intent": None,
                "success_url": params["success_url"],
                "cancel_url": params["cancel_url"],
                "expires_at": int(time.time()) + 24 * 3600,
                "_lines": lines,
                "_intent_data": intent_data,
            }
        )

    def session_pay(self, session_id: str, number: str) -> dict:
        """The hosted page's Pay: a declined card leaves the session open (as Checkout does)."""
        with self.lock:
            session = self.get(session_id, "checkout.session")
            if session["status"] != "open":
                raise ApiError(400, f"This checkout session is {session['status']}.")
            if number == DECLINED:
                raise ApiError(
                    402, "Your card was declined.", kind="card_error", code="card_declined"
                )
            if not (number.isdigit() and 12 <= len(number) <= 19):
                raise ApiError(400, "Enter a test card number (4242 4242 4242 4242).")
            if session["mode"] == "setup":
                return self._setup_complete(session, number)
            customer = self._put(
                {"id": new_id("cus"), "object": "customer", "email": session.get("customer_email")}
            )
            method = self._method(number, customer["id"])
            intent_data = session["_intent_data"]
            intent = self._put(
                {
                    "id": new_id("pi"),
                    "object": "payment_intent",
                    "amount": session["amount_total"],
                    "amount_received": session["amount_total"],
                    "currency": session["currency"],
                    "status": "succeeded",
                    "customer": customer["id"],
                    "payment_method": method["id"],
                    "metadata": intent_data.get("metadata") or {},
                    "transfer_group": intent_data.get("transfer_group"),
                    "latest_charge": None,
                }
            )
            charge = self._put(
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
            intent["latest_charge"] = charge["id"]
            session.update(
                status="complete",
                payment_status="paid",
                payment_intent=intent["id"],
                customer=customer["id"],
                customer_details={  # Checkout collects the billing country
                    "email": session.get("customer_email"),
                    "address": {"country": "DE"},
                },
            )
            self._event("charge.succeeded", charge)
            self._event("payment_intent.succeeded", intent)
            self._event("checkout.session.completed", session)
            return session

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

    def session_expire(self, session_id: str, params: dict | None = None) -> dict:
        with self.lock:
            session = self.get(session_id, "checkout.session")
            if session["status"] != "open":
                raise ApiError(
                    400, f"Only an open session can be expired; this one is {session['status']}."
                )
            session["status"] = "expired"
            self._event("checkout.session.expired", session)
            return session

    # --- saved payment methods (setup mode, SetupIntents, off-session charges) ------------
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
            charge = self._put(
                {
                    "id": new_id("ch"),
                    "object": "charge",
                    "amount": amount,
                    "amount_captured": amount,
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
            intent.update(status="succeeded", amount_received=amount, latest_charge=charge["id"])
            self._event("charge.succeeded", charge)
            self._event("payment_intent.succeeded", intent)
            return intent

    # --- refunds -------------------------------------------------------------------------
    def refund_create(self, params: dict) -> dict:
        with self.lock:
            intent_id = params.get("payment_intent")
            if intent_id:
                intent = self.get(intent_id, "payment_intent")
                charge = self.get(intent["latest_charge"] or "", "charge")
            else:
                charge = self.get(params.get("charge", ""), "charge")
            left = charge["amount"] - charge["amount_refunded"]
            amount = _int(params, "amount", minimum=1) if "amount" in params else left
            if amount > left:
                raise ApiError(
                    400,
                    f"Refund amount ({amount}) is greater than unrefunded "
                    f"amount on charge ({left})",
                    code="amount_too_large",
                )
            refund = self._put(
                {
                    "id": new_id("re"),
                    "object": "refund",
                    "amount": amount,
                    "currency": charge["currency"],
                    "charge": charge["id"],
                    "payment_intent": charge["payment_intent"],
                    "status": "succeeded",
                    "reason": params.get("reason"),
                    "metadata": params.get("metadata") or {},
                }
            )
            charge["amount_refunded"] += amount
            charge["refunded"] = charge["amount_refunded"] == charge["amount"]
            self._event("refund.created", refund)
            self._event("charge.refunded", charge)
            return refund

    def refunds_list(self, params: dict) -> list[dict]:
        wanted = params.get("payment_intent")
        return [
            obj
            for obj in self.objects.values()
            if obj["object"] == "refund" and (not wanted or obj["payment_intent"] == wanted)
        ]

    # --- Connect -------------------------------------------------------------------------
    def account_create(self, params: dict) -> dict:
        with self.lock:
            return self._put(
                {
                    "id": new_id("acct"),
                    "object": "account",
                    "type": params.get("type", "express"),
                    "email": params.get("email"),
                    "charges_enabled": True,
                    "payouts_enabled": True,
                    "details_submitted": True,
                    "capabilities": {"transfers": "active"},
                }
            )

    def transfer_create(self, params: dict) -> dict:
        with self.lock:
            amount = _int(params, "amount", minimum=1)
            self.get(params.get("destination", ""), "account")
            source = params.get("source_transaction")
            if source:
                charge = self.get(source, "charge")
                room = charge["amount"] - charge["amount_refunded"] - charge["_transferred"]
                if amount > room:
                    raise ApiError(
                        400,
                        "Insufficient funds from the source transaction.",
                        code="insufficient_funds",
                    )
                charge["_transferred"] += amount
            transfer = self._put(
                {
                    "id": new_id("tr"),
                    "object": "transfer",
                    "amount": amount,
                    "amount_reversed": 0,
                    "currency": params.get("currency"),
                    "destination": params["destination"],
                    "transfer_group": params.get("transfer_group"),
                    "source_transaction": source,
                    "reversed": False,
                    "metadata": params.get("metadata") or {},
                }
            )
            self._event("transfer.created", transfer)
            return transfer
