"""Production: every secret from the environment, HTTPS enforced (P21), SMTP email."""

from masterbus.config.settings.base import *  # noqa: F403
from masterbus.config.settings.base import env, env_int

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
GUEST_COOKIE_SECURE = True
