"""Production never runs on the local test payment server (it takes any card number)."""

from __future__ import annotations

import secrets
import subprocess
import sys

import pytest

from tests.platform.fixtures import REPO
from tests.support.signing import signing_env


def deploy_check(tmp_path, **extra: str) -> subprocess.CompletedProcess:
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "masterbus.config.settings.production",
        "MASTERBUS_DATA_DIR": str(tmp_path),
        "DJANGO_ALLOWED_HOSTS": "localhost",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        **signing_env(tmp_path),
        **extra,
    }
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy"],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        ({"PAYMENTS_TEST_SERVER": "1"}, "payments.E001"),
        ({"STRIPE_SECRET_KEY": "sk_live_x"}, "payments.E002"),  # webhooks would all fail
    ],
)
def test_production_refuses_the_test_server_and_a_missing_webhook_secret(tmp_path, extra, error):
    done = deploy_check(tmp_path, **extra)
    assert done.returncode != 0 and error in done.stderr + done.stdout


def test_production_with_stripe_keys_passes(tmp_path):
    done = deploy_check(tmp_path, STRIPE_SECRET_KEY="sk_live_x", STRIPE_WEBHOOK_SECRET="whsec_x")
    assert done.returncode == 0, done.stderr
