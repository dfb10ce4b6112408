"""P21: production settings pass `manage.py check --deploy` with no warning, refuse a weak
secret, force HTTPS with HSTS and secure cookies, and every page carries the security headers."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from masterbus.security.deploy import check_secret_key
from tests.platform.fixtures import REPO
from tests.support.signing import signing_env

PRODUCTION = "masterbus.config.settings.production"
# Loads the production settings, asks for a page over HTTP and over HTTPS, prints the answers.
REQUESTS = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="localhost")
flags = ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "GUEST_COOKIE_SECURE", "DEBUG"]
plain = client.get("/privacy/")
secure = client.get("/privacy/", secure=True)
print(json.dumps({"flags": {name: getattr(settings, name) for name in flags},
                  "plain": [plain.status_code, plain.get("Location")],
                  "secure": [secure.status_code, dict(secure.headers)]}))
"""


def run(
    args: list[str], secret: str | None, tmp_path, *, sealing: bool = True
) -> subprocess.CompletedProcess:
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": PRODUCTION,
        "MASTERBUS_DATA_DIR": str(tmp_path),
        "DJANGO_ALLOWED_HOSTS": "localhost",
    }
    if secret is not None:
        env["DJANGO_SECRET_KEY"] = secret
    if sealing:
        env.update(signing_env(tmp_path))
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=120
    )


def test_the_deploy_check_finds_nothing_to_warn_about(tmp_path):
    result = run(["-m", "django", "check", "--deploy"], secrets.token_urlsafe(64), tmp_path)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_production_needs_its_own_key_to_seal_booking_agreements(tmp_path):
    """A generated pair is for development: a deployment without one configured fails the check."""
    result = run(["-m", "django", "check", "--deploy"], secrets.token_urlsafe(64), tmp_path,
                 sealing=False)  # fmt: skip
    assert result.returncode != 0
    assert "studios.E001" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("secret", "problem"),
    [
        (None, "is not set"),
        ("masterbus-local-development-key-not-for-production", "published default"),
        ("x" * 20 + "abcd", "too weak"),
    ],
)
def test_production_refuses_to_start_with_a_weak_secret(tmp_path, secret, problem):
    result = run(["-m", "django", "check"], secret, tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and problem in result.stderr


@pytest.mark.parametrize(
    "secret",
    ["", "masterbus-test-key", "django-insecure-" + secrets.token_urlsafe(60), "ab" * 40, "s" * 49],
)
def test_weak_secrets_are_refused(secret):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY"):
        check_secret_key(secret)


def test_a_strong_secret_passes():
    key = secrets.token_urlsafe(64)
    assert check_secret_key(key) == key


def test_production_redirects_to_https_sends_hsts_and_secures_cookies(tmp_path):
    result = run(["-c", REQUESTS], secrets.token_urlsafe(64), tmp_path)
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    assert answers["plain"] == [301, "https://localhost/privacy/"]
    status, headers = answers["secure"]
    assert status == 200
    hsts = headers["Strict-Transport-Security"]
    assert hsts == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    # The sign-in, CSRF and guest cookies are sent over HTTPS only; no debug pages.
    assert answers["flags"] == {
        "SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True, "GUEST_COOKIE_SECURE": True,
        "DEBUG": False,
    }  # fmt: skip


@pytest.mark.django_db
def test_every_page_sends_the_security_headers(client):
    """On every environment, so the browser tests prove the pages work under the policy."""
    for path in ("/", "/privacy/", "/accounts/login/", "/api/v1/jobs", "/no-such-page"):
        headers = client.get(path).headers
        policy = dict(
            part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";")
        )
        assert policy["default-src"] == "'self'" and policy["script-src"] == "'self'"
        assert "unsafe-inline" not in headers["Content-Security-Policy"]
        assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


FORM_ACTION = """
import json
from django.conf import settings
print(json.dumps(settings.CONTENT_SECURITY_POLICY["form-action"]))
"""


@pytest.mark.django_db
def test_forms_may_post_only_to_this_site(client):
    """form-action: an injected form cannot send a password or a token anywhere else."""
    for path in ("/", "/accounts/login/", "/settings/tokens/"):
        header = client.get(path)["Content-Security-Policy"]
        policy = dict(part.strip().split(" ", 1) for part in header.split(";"))
        assert policy["form-action"] == "'self'"


def test_a_configured_sign_in_provider_may_receive_the_sign_in_redirect(tmp_path):
    """The provider button posts to this site, which redirects to the provider: browsers hold
    that redirect to form-action too, so only a configured provider's sign-in origin is added."""
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "masterbus.config.settings.test",
        "MASTERBUS_DATA_DIR": str(tmp_path),
        "GOOGLE_CLIENT_ID": "client-id",
        "GOOGLE_CLIENT_SECRET": "client-secret",
    }
    done = subprocess.run(
        [sys.executable, "-c", FORM_ACTION],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == ["'self'", "https://accounts.google.com"]
