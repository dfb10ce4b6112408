"""Settings of the marketplace apps: payments, studio booking, messaging, the demo, engineer orders.

Imported at the end of base.py; every value can be set from the environment like the rest.
"""

from __future__ import annotations

from masterbus.config.settings.environment import env, env_bool, env_int, env_list

# Payments (P19, P22, P23): Stripe through the official library. With STRIPE_SECRET_KEY and
# STRIPE_WEBHOOK_SECRET set it is Stripe; unset, `masterbus serve` runs our local
# Stripe-compatible test server (masterbus.payments.testserver: test payments, no real money)
# and points STRIPE_API_BASE at it. Production refuses the test server (payments.E001).
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", "")
PAYMENTS_TEST_SERVER = env_bool("PAYMENTS_TEST_SERVER", not STRIPE_SECRET_KEY)
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", "")
# Empty: api.stripe.com; the test server's default port otherwise (serve exports the real one).
STRIPE_API_BASE = env("STRIPE_API_BASE", "http://127.0.0.1:8012" if PAYMENTS_TEST_SERVER else "")
# Where the hosted checkout page lives (the CSP lets a form redirect there).
PAYMENTS_CHECKOUT_ORIGIN = (
    STRIPE_API_BASE if PAYMENTS_TEST_SERVER else "https://checkout.stripe.com"
)
PAYMENTS_CURRENCY = env("PAYMENTS_CURRENCY", "eur")
# Platform fee per rule, in percent (decimal strings): "name=percent,name=percent".
PAYMENTS_FEE_RULES = dict(
    item.split("=", 1) for item in env_list("PAYMENTS_FEE_RULES", "orders=20,booking=15,shop=30")
)
PAYMENTS_VAT_RATE = env("PAYMENTS_VAT_RATE", "0")  # percent contained in gross prices
PAYMENTS_SELLER = {  # the platform, as it appears on invoices
    "name": env("PAYMENTS_SELLER_NAME", "Masterbus (self-hosted)"),
    "address": env("PAYMENTS_SELLER_ADDRESS", "Set PAYMENTS_SELLER_ADDRESS"),
    "vat_id": env("PAYMENTS_SELLER_VAT_ID", ""),
    "email": env("PAYMENTS_SELLER_EMAIL", ""),
}
PAYMENTS_INVOICE_PREFIX = env("PAYMENTS_INVOICE_PREFIX", "MB")
PAYMENTS_RETENTION_DAYS = env_int("PAYMENTS_RETENTION_DAYS", 7 * 366)  # P23: 7 years
PAYMENTS_MAX_AMOUNT = env_int("PAYMENTS_MAX_AMOUNT", 100_000_00)  # per checkout, minor units
PAYMENTS_CHECKOUTS_PER_HOUR = env_int("PAYMENTS_CHECKOUTS_PER_HOUR", 30)  # per payer

# Studios and bookings (masterbus.studios): the age to book (P7), how long a request or an
# unpaid booking holds its slot, and the bounds per client, owner and studio.
BOOKING_MINIMUM_AGE = env_int("BOOKING_MINIMUM_AGE", 18)
BOOKING_REQUEST_HOURS = env_int("BOOKING_REQUEST_HOURS", 24)  # the owner's time to answer
BOOKING_PAYMENT_MINUTES = env_int("BOOKING_PAYMENT_MINUTES", 30)  # instant book: time to pay
BOOKING_ACCEPTED_PAYMENT_HOURS = env_int("BOOKING_ACCEPTED_PAYMENT_HOURS", 24)  # after accepting
# Bookings starting later than this are not charged when made: the client saves a card and it is
# charged off-session when the studio accepts (card holds expire after about 7 days).
BOOKING_CHARGE_LATER_DAYS = env_int("BOOKING_CHARGE_LATER_DAYS", 7)
BOOKING_EXTRA_CHARGES_MAX = env_int("BOOKING_EXTRA_CHARGES_MAX", 5)  # no-show/overtime/damage forms
STUDIO_PHOTOS_MAX = env_int("STUDIO_PHOTOS_MAX", 8)  # per studio
STUDIO_PHOTO_MAX_BYTES = env_int("STUDIO_PHOTO_MAX_BYTES", 10 * 1000 * 1000)
STUDIO_PHOTO_MAX_PIXELS = env_int("STUDIO_PHOTO_MAX_PIXELS", 25 * 1000 * 1000)  # checked undecoded
STUDIO_PHOTO_SIZE = env_int("STUDIO_PHOTO_SIZE", 1600)  # the long side kept, in pixels
STUDIO_SAMPLES_MAX = env_int("STUDIO_SAMPLES_MAX", 6)  # portfolio audio samples per studio
STUDIO_SAMPLE_MAX_BYTES = env_int("STUDIO_SAMPLE_MAX_BYTES", 60 * 1000 * 1000)
STUDIO_SAMPLE_MAX_SECONDS = env_int("STUDIO_SAMPLE_MAX_SECONDS", 6 * 60)
BOOKING_MAX_HOURS = env_int("BOOKING_MAX_HOURS", 24)
BOOKING_MAX_DAYS_AHEAD = env_int("BOOKING_MAX_DAYS_AHEAD", 365)
BOOKING_MAX_PENDING_PER_CLIENT = env_int("BOOKING_MAX_PENDING_PER_CLIENT", 5)
BOOKING_FILES_TURNAROUND_DAYS = env_int("BOOKING_FILES_TURNAROUND_DAYS", 14)  # a studio's default
BOOKING_FILES_MAX_COUNT = env_int("BOOKING_FILES_MAX_COUNT", 48)  # session files per booking
BOOKING_FILES_MAX_TOTAL_BYTES = env_int("BOOKING_FILES_MAX_TOTAL_BYTES", 4 * 1000**3)
# The platform pair sealing booking agreements: a path or the PEM itself (studios/signing.py).
BOOKING_SIGNING_KEY = env("BOOKING_SIGNING_KEY", "")
BOOKING_SIGNING_CERT = env("BOOKING_SIGNING_CERT", "")
BOOKING_SIGNING_REQUIRED = env_bool("BOOKING_SIGNING_REQUIRED", False)  # deployments: True
STUDIOS_MAX_PER_OWNER = env_int("STUDIOS_MAX_PER_OWNER", 3)
STUDIO_MAX_ROOMS = env_int("STUDIO_MAX_ROOMS", 20)
STUDIO_MAX_ADDONS = env_int("STUDIO_MAX_ADDONS", 30)
STUDIO_MAX_EXCEPTIONS = env_int("STUDIO_MAX_EXCEPTIONS", 100)

MESSAGING_RATE = env("MESSAGING_RATE", "30/m")  # messages per author (messaging)
NOTIFICATION_RETENTION_DAYS = env_int("NOTIFICATION_RETENTION_DAYS", 365)  # history kept (P26)
# `masterbus demo`: loaders (dotted paths of `load(*, stdout) -> None`, idempotent), run in order.
DEMO_LOADERS = [
    "masterbus.demo.mastering.load",
    "masterbus.messaging.demo.load",
    "masterbus.orders.demo.load",
    "masterbus.studios.demo.load",
    "masterbus.training.demo.load",
    "masterbus.courses.demo.load",
    "masterbus.community.demo.load",
    "masterbus.shop.demo.load",
]
# Engineer orders (masterbus.orders): bounds on what an order takes, and its clocks.
ORDERS_MAX_STEMS = env_int("ORDERS_MAX_STEMS", 48)  # files per order (stems + mix)
ORDERS_MAX_TOTAL_BYTES = env_int("ORDERS_MAX_TOTAL_BYTES", 4 * 1000**3)  # all files of an order
ORDERS_MAX_DELIVERY_FILES = env_int("ORDERS_MAX_DELIVERY_FILES", 12)  # files per version
ORDERS_MAX_EXTRA_REVISIONS = env_int("ORDERS_MAX_EXTRA_REVISIONS", 5)  # bought with the order
ORDERS_MAX_NOTES = env_int("ORDERS_MAX_NOTES", 100)  # revision notes per version
ORDERS_AUTO_APPROVE_DAYS = env_int("ORDERS_AUTO_APPROVE_DAYS", 7)  # after a delivery
ORDERS_MAX_UNPAID = env_int("ORDERS_MAX_UNPAID", 3)  # orders awaiting payment per client
ORDERS_UNPAID_DAYS = env_int("ORDERS_UNPAID_DAYS", 2)  # then cancelled, files deleted
ORDERS_SOURCE_RETENTION_DAYS = env_int("ORDERS_SOURCE_RETENTION_DAYS", 30)  # P15, after closing
