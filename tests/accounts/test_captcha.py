"""P6: the offline captcha's token is one-time across every web process and host: the spent
tokens are rows in the database (a unique digest), not entries of a per-process cache."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from masterbus.accounts.captcha import SignedTimingCaptcha, SignedTimingWidget
from masterbus.config import periodic
from masterbus.core.models import SpentToken
from tests.platform.fixtures import REPO, subprocess_env

pytestmark = pytest.mark.django_db(transaction=True)

# A web process of its own: checks the token it is given on stdin against the same database.
OTHER_PROCESS = """
import sys, django
django.setup()
from django.core.exceptions import ValidationError
from masterbus.accounts.captcha import SignedTimingCaptcha
try:
    SignedTimingCaptcha().verify({"token": sys.stdin.read().strip(), "trap": ""})
except ValidationError as error:
    print(error.code)
else:
    print("accepted")
"""


def _token() -> str:
    return SignedTimingWidget().get_context("captcha", None, None)["token"]


def _verify(token: str) -> str:
    try:
        SignedTimingCaptcha().verify({"token": token, "trap": ""})
    except ValidationError as error:
        return error.code
    return "accepted"


def _in_another_process(token: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", OTHER_PROCESS],
        input=token,
        capture_output=True,
        text=True,
        env=subprocess_env(CAPTCHA_MIN_SECONDS="0"),  # as this test's settings
        cwd=REPO,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_token_is_refused_the_second_time_in_this_process_with_its_memory_cleared():
    token = _token()
    assert _verify(token) == "accepted"
    cache.clear()  # what another web process sees: nothing of this one's memory
    assert _verify(token) == "captcha_reused"


def test_a_token_used_in_one_process_is_refused_in_another_and_the_other_way_round():
    first = _token()
    assert _verify(first) == "accepted"
    assert _in_another_process(first) == "captcha_reused"
    second = _token()
    assert _in_another_process(second) == "accepted"
    assert _verify(second) == "captcha_reused"
    # The widget draws a fresh token in place of a spent one (the form is sent back).
    assert SignedTimingWidget()._reusable({"token": second}) is None


def test_two_posts_of_the_same_token_at_once_pass_only_once():
    token = _token()
    start = threading.Barrier(4)
    results = []

    def post() -> None:
        try:
            start.wait()
            results.append(_verify(token))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["accepted", *["captcha_reused"] * 3]
    assert SpentToken.objects.count() == 1


def test_spent_tokens_are_kept_as_digests_and_purged_once_they_expire(settings):
    settings.CAPTCHA_MAX_AGE_SECONDS = 3600
    token = _token()
    assert _verify(token) == "accepted"
    (spent,) = SpentToken.objects.all()
    assert len(spent.digest) == 64 and spent.digest not in token
    assert timedelta(minutes=59) < spent.expires_at - timezone.now() <= timedelta(hours=1)
    assert periodic.run_once()["spent token purge"] == 0  # still usable: kept
    SpentToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert periodic.run_once()["spent token purge"] == 1
    assert not SpentToken.objects.exists()
