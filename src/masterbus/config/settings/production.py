"""Production: every secret from the environment, HTTPS enforced (P21), SMTP email.

``manage.py check --deploy`` passes with no warning (tests/security/test_production.py), and the
settings refuse to load with a missing, short or published secret key.
"""

from masterbus.config.settings.base import *  # noqa: F403
from masterbus.config.settings.base import env, env_bool, env_int
from masterbus.security.deploy import check_secret_key

DEBUG = False
SECRET_KEY = check_secret_key(env("DJANGO_SECRET_KEY", ""))
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
GUEST_COOKIE_SECURE = True
# Never the local test payment server in production (payments.E001); set the Stripe keys.
PAYMENTS_TEST_SERVER = env_bool("PAYMENTS_TEST_SERVER", False)
# Booking agreements are sealed with the operator's key and certificate (studios.E001/E002).
BOOKING_SIGNING_REQUIRED = env_bool("BOOKING_SIGNING_REQUIRED", True)
