"""HTTP edge of the test server: Stripe's API paths, form encoding and errors; the hosted
page; webhook delivery signed the Stripe way."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import queue
import re
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from masterbus.payments.testserver import forms
from masterbus.payments.testserver.page import checkout_page
from masterbus.payments.testserver.store import ApiError, Store, public

logger = logging.getLogger(__name__)

MAX_BODY = 64 * 1024
DELIVERY_ATTEMPTS = 5


def signature_header(secret: str, payload: bytes, timestamp: int) -> str:
    """Stripe's scheme: ``t=<unix time>,v1=<hex HMAC-SHA256(secret, "<t>.<payload>")>``."""
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


class Webhooks:
    """Endpoints (``we_local`` from the command line) and a delivery thread with retries.
    Every delivery (payload + signature) is also kept for tests to read."""

    def __init__(self) -> None:
        self.endpoints: dict[str, dict] = {}
        self.deliveries: list[dict] = []
        self.queue: queue.Queue = queue.Queue()
        self.idle = threading.Event()
        self.idle.set()
        threading.Thread(target=self._run, name="webhooks", daemon=True).start()

    def add(self, endpoint_id: str, url: str | None, secret: str) -> None:
        self.endpoints[endpoint_id] = {
            "id": endpoint_id, "object": "webhook_endpoint", "url": url,
            "secret": secret, "status": "enabled",
        }  # fmt: skip

    def notify(self, event: dict) -> None:
        payload = json.dumps(event, indent=2).encode()
        for endpoint in self.endpoints.values():
            delivery = {
                "event": event["id"],
                "type": event["type"],
                "payload": payload.decode(),
                "signature": signature_header(endpoint["secret"], payload, int(time.time())),
            }
            self.deliveries.append(delivery)
            if endpoint["url"] and endpoint["status"] == "enabled":
                self.idle.clear()
                self.queue.put((endpoint, payload))

    def _run(self) -> None:
        while True:
            endpoint, payload = self.queue.get()
            for attempt in range(DELIVERY_ATTEMPTS):
                # Signed at each attempt, as Stripe signs each delivery with its own time.
                headers = {
                    "Content-Type": "application/json; charset=utf-8",
                    "Stripe-Signature": signature_header(
                        endpoint["secret"], payload, int(time.time())
                    ),
                    "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
                }
                request = urllib.request.Request(endpoint["url"], payload, headers)
                try:
                    with urllib.request.urlopen(request, timeout=30) as answer:
                        if 200 <= answer.status < 300:
                            break
                except OSError as error:
                    logger.info("webhook delivery failed (%s), attempt %d", error, attempt + 1)
                time.sleep(min(0.5 * 2**attempt, 8))
            if self.queue.empty():
                self.idle.set()


ROUTES: list[tuple[str, re.Pattern, str]] = [
    (method, re.compile(f"^{path}$"), name)
    for method, path, name in [
        ("POST", r"/v1/checkout/sessions", "session_create"),
        ("GET", r"/v1/checkout/sessions/(?P<id>[\w]+)", "session_get"),
        ("POST", r"/v1/checkout/sessions/(?P<id>[\w]+)/expire", "session_expire"),
        ("POST", r"/v1/payment_intents", "intent_create"),
        ("GET", r"/v1/payment_intents/(?P<id>[\w]+)", "intent_get"),
        ("POST", r"/v1/customers", "customer_create"),
        ("GET", r"/v1/customers/(?P<id>[\w]+)", "customer_get"),
        ("GET", r"/v1/setup_intents/(?P<id>[\w]+)", "setup_intent_get"),
        ("GET", r"/v1/payment_methods/(?P<id>[\w]+)", "payment_method_get"),
        ("GET", r"/v1/charges/(?P<id>[\w]+)", "charge_get"),
        ("POST", r"/v1/refunds", "refund_create"),
        ("GET", r"/v1/refunds", "refunds_list"),
        ("GET", r"/v1/refunds/(?P<id>[\w]+)", "refund_get"),
        ("POST", r"/v1/accounts", "account_create"),
        ("GET", r"/v1/accounts/(?P<id>[\w]+)", "account_get"),
        ("POST", r"/v1/transfers", "transfer_create"),
        ("GET", r"/v1/transfers/(?P<id>[\w]+)", "transfer_get"),
        ("GET", r"/v1/events", "events_list"),
        ("GET", r"/v1/events/(?P<id>[\w]+)", "event_get"),
        ("POST", r"/v1/webhook_endpoints/(?P<id>[\w]+)", "endpoint_update"),
    ]
]
GETTERS = {
    "session_get": "checkout.session", "intent_get": "payment_intent", "charge_get": "charge",
    "refund_get": "refund", "account_get": "account", "transfer_get": "transfer",
    "customer_get": "customer", "setup_intent_get": "setup_intent",
    "payment_method_get": "payment_method",
}  # fmt: skip


def _list(items: list[dict], url: str, limit: int = 10) -> dict:
    return {"object": "list", "data": items[:limit], "has_more": len(items) > limit, "url": url}


class Api:
    """Stripe's API on the store: (status, JSON body) for a method, path and parameters."""

    def __init__(self, store: Store, webhooks: Webhooks) -> None:
        self.store, self.webhooks = store, webhooks
        self.idempotent: dict[tuple[str, str], tuple[int, dict]] = {}
        self.lock = threading.Lock()

    def call(self, method: str, path: str, params: dict, key: str | None) -> tuple[int, dict]:
        found = [
            (name, match)
            for route_method, pattern, name in ROUTES
            if route_method == method and (match := pattern.match(path))
        ]
        if not found:
            return 404, ApiError(404, f"Unrecognized request URL ({method}: {path}).").body()
        name, match = found[0]
        if method == "POST" and key:
            with self.lock:  # a retried POST gets the first answer, as Stripe's keys do
                if (path, key) in self.idempotent:
                    return self.idempotent[(path, key)]
                answer = self._answer(name, match, params)
                self.idempotent[(path, key)] = answer
                return answer
        return self._answer(name, match, params)

    def _answer(self, name: str, match: re.Match, params: dict) -> tuple[int, dict]:
        try:
            return 200, self._dispatch(name, match.groupdict().get("id", ""), params)
        except ApiError as error:
            return error.status, error.body()
        except Exception as error:  # a bug of ours answers like Stripe's api_error
            logger.exception("test server failed")
            return 500, ApiError(500, str(error), kind="api_error").body()

    def _dispatch(self, name: str, object_id: str, params: dict) -> dict:
        store = self.store
        expand = params.get("expand") or []
        if name in GETTERS:
            return store.expand(store.get(object_id, GETTERS[name]), expand)
        if name == "refunds_list":
            return _list(store.refunds_list(params), "/v1/refunds", int(params.get("limit", 10)))
        if name == "events_list":
            events = sorted(store.events, key=lambda e: e["created"], reverse=True)
            since = int((params.get("created") or {}).get("gte", 0))
            events = [e for e in events if e["created"] >= since]
            return _list(events, "/v1/events", int(params.get("limit", 10)))
        if name == "event_get":
            found = [e for e in store.events if e["id"] == object_id]
            if not found:
                raise ApiError(404, f"No such event: '{object_id}'", code="resource_missing")
            return found[0]
        if name == "endpoint_update":
            endpoint = self.webhooks.endpoints.get(object_id)
            if endpoint is None:
                raise ApiError(404, f"No such webhook endpoint: '{object_id}'")
            if "disabled" in params:
                endpoint["status"] = "disabled" if params["disabled"] == "true" else "enabled"
            return {key: value for key, value in endpoint.items() if key != "secret"}
        return public(
            getattr(store, name)(object_id, params) if object_id else getattr(store, name)(params)
        )


class Handler(BaseHTTPRequestHandler):
    server_version = "masterbus-test-payments/1"
    api: Api  # set on the class made by ``make_server``

    def log_message(self, format: str, *args) -> None:  # quiet: tests and serve's console
        logger.debug(format, *args)

    def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, body: dict) -> None:
        self._send(
            status,
            json.dumps(body).encode(),
            "application/json",
            {"Request-Id": f"req_{int(time.time() * 1000)}"},
        )

    def _body(self) -> str | None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            return None
        return self.rfile.read(length).decode() if length else ""

    def _authorised(self) -> bool:
        key = self.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if key.startswith("sk_test_"):
            return True
        self._json(
            401,
            ApiError(
                401,
                "Invalid API Key provided (test keys only: sk_test_…).",
                kind="authentication_error",
            ).body(),
        )
        return False

    def _page_session(self, path: str) -> dict | None:
        match = re.match(r"^/pay/(cs_test_\w+)$", path)
        session = self.api.store.objects.get(match.group(1)) if match else None
        if session is None:
            self._send(404, b"Unknown checkout", "text/plain; charset=utf-8")
        return session

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path.startswith("/pay/"):
            session = self._page_session(url.path)
            if session is not None:
                self._send(200, checkout_page(session).encode(), "text/html; charset=utf-8")
            return
        if url.path == "/_test/deliveries":  # not Stripe's: tests read the signed deliveries
            self._json(200, {"data": self.api.webhooks.deliveries})
            return
        if self._authorised():
            self._json(*self.api.call("GET", url.path, forms.parse(url.query), None))

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        body = self._body()
        if body is None:
            self._json(413, ApiError(413, "Request too large.").body())
            return
        if url.path.startswith("/pay/"):
            self._pay(url.path, dict(parse_qsl(body)))
            return
        if self._authorised():
            key = self.headers.get("Idempotency-Key")
            self._json(*self.api.call("POST", url.path, forms.parse(body), key))

    def _pay(self, path: str, form: dict) -> None:
        session = self._page_session(path)
        if session is None:
            return
        number = "4000000000000002" if form.get("action") == "decline" else form.get("card", "")
        try:
            self.api.store.session_pay(session["id"], number.replace(" ", ""))
        except ApiError as error:
            page = checkout_page(session, error.message).encode()
            self._send(error.status, page, "text/html; charset=utf-8")
            return
        # Give the webhook a moment to land first, so the success page usually sees "paid".
        self.api.webhooks.idle.wait(5)
        target = session["success_url"].replace("{CHECKOUT_SESSION_ID}", session["id"])
        self._send(303, b"", "text/plain", {"Location": target})


def make_server(
    host: str,
    port: int,
    *,
    webhook_url: str | None,
    webhook_secret: str,
    public_url: str | None = None,
) -> ThreadingHTTPServer:
    """The server, not yet serving (call ``serve_forever``); port 0 picks a free one."""
    webhooks = Webhooks()
    webhooks.add("we_local", webhook_url, webhook_secret)
    handler = type("BoundHandler", (Handler,), {})
    httpd = ThreadingHTTPServer((host, port), handler)
    httpd.daemon_threads = True
    base = public_url or f"http://{host}:{httpd.server_address[1]}"
    handler.api = Api(Store(public_url=base, notify=webhooks.notify), webhooks)
    return httpd
