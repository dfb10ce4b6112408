"""The test server's objects and what each API call does to them (in memory, one lock)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from masterbus.payments.testserver.objects import (  # noqa: F401  (the server and tests use them here)
    ApiError,
    _int,
    card_brand,
    new_id,
    public,
)
from masterbus.payments.testserver.saved import DECLINES_OFF_SESSION, SavedMethods  # noqa: F401

API_VERSION = "2025-09-30.clover"
DECLINED = "4000000000000002"


class Store(SavedMethods):
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
            charge = self._charge_succeeded(intent, customer, method)
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
