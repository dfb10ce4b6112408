"""A compact Stripe-compatible test payment server: test payments, no real money.

Speaks the parts of Stripe's HTTP API that ``masterbus.payments.provider`` uses (form-encoded
requests, JSON objects, ``Idempotency-Key``, ``expand[]``): Checkout Sessions in payment mode
and setup mode with a hosted page (card 4242 4242 4242 4242; 4000 0000 0000 0002 is declined;
4000 0000 0000 0341 saves but declines off-session), PaymentIntents and their charges, saved
payment methods, refunds, Connect accounts and transfers, events; and it delivers webhooks
signed exactly as Stripe does (``Stripe-Signature: t=…,v1=HMAC-SHA256``). localstripe was
tried and dropped: it has no Checkout Sessions, hosted page, accounts or transfers.

``python -m masterbus.payments.testserver --port 8012 --webhook-url … --webhook-secret …``;
``masterbus serve`` starts it when no STRIPE_SECRET_KEY is set, tests start it in a thread
(tests/support/payments.py). State lives in memory: a restart forgets every object.
"""
