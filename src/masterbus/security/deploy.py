"""Refuse to run production with a secret that is missing, short or one of ours (P21).

Called while the production settings load, so no process (web, worker, manage.py) starts with a
bad key; Django's own deploy check would only warn.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

MIN_LENGTH = 50
MIN_DISTINCT = 5
# Keys written in this repository (local and test settings): public, so never secret.
KNOWN_KEYS = frozenset({"masterbus-local-development-key-not-for-production", "masterbus-test-key"})
HOW = 'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(64))"'


def check_secret_key(key: str) -> str:
    """The key, if it is fit for production; ImproperlyConfigured saying what is wrong if not."""
    if not key:
        problem = "DJANGO_SECRET_KEY is not set"
    elif key in KNOWN_KEYS or key.startswith("django-insecure-"):
        problem = "DJANGO_SECRET_KEY is a published default key"
    elif len(key) < MIN_LENGTH or len(set(key)) < MIN_DISTINCT:
        problem = (
            f"DJANGO_SECRET_KEY is too weak: at least {MIN_LENGTH} characters "
            f"and {MIN_DISTINCT} different ones"
        )
    else:
        return key
    raise ImproperlyConfigured(f"{problem}. {HOW}")
