"""Secrets stay out of the logs: every URL that carries a credential (signed file and export
links, the unsubscribe link, allauth's password-reset and email-confirmation keys, an OAuth
callback's code) is written to gunicorn's access log and to Django's request log with the secret
replaced by ``[redacted]``, in the path, in a ``next=`` parameter and in the Referer."""

from __future__ import annotations

import contextlib
import io
import logging
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from masterbus.config import launcher
from masterbus.core import links
from masterbus.core.access import Access, access_of
from masterbus.core.redact import REDACTED, redact
from masterbus.profiles.tokens import unsubscribe_token
from tests.platform.fixtures import REPO, subprocess_env
from tests.support.waiting import free_port, wait_until

# allauth's views carry no declaration: its URLs whose key is the credential, by name.
ALLAUTH_KEYED = {"account_reset_password_from_key", "account_confirm_email"}
SECRET = "s3cr3tKey-Zq9:1vXyZ:AbCdEf_gh"  # the shape of a signed token (":" separated)


def _secret_routes() -> dict[str, list[str]]:
    """Every URL name (namespaced) whose link is a credential -> its URL parameters."""
    found = {}

    def walk(patterns, namespace: str = "") -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and (
                access_of(pattern.callback) in (Access.SIGNED_LINK, Access.KEYED_LINK)
                or pattern.name in ALLAUTH_KEYED
            ):
                found[f"{namespace}{pattern.name}"] = list(pattern.pattern.regex.groupindex)

    walk(get_resolver().url_patterns)
    return found


def _secret_urls() -> list[tuple[str, str]]:
    """(url, secret) for every credential-carrying route, with a real-looking secret."""
    urls = []
    for name, params in _secret_routes().items():
        kwargs = {param: "2z" if param == "uidb36" else SECRET for param in params}
        urls.append((reverse(name, kwargs=kwargs), SECRET))
    file_token, unsubscribe = links.sign({"f": "x"}), unsubscribe_token(7)
    urls.append((reverse("mastering:file", args=[file_token]), file_token))
    urls.append((reverse("profiles:unsubscribe", args=[unsubscribe]), unsubscribe))
    return urls


def test_every_url_that_carries_a_credential_is_found():
    assert set(_secret_routes()) == {
        "mastering:file",
        "rights:export_download",
        "profiles:unsubscribe",
        "account_reset_password_from_key",
        "account_confirm_email",
        "orders:file",
        "studios:session_file",
        "studios:room_feed",
        "studios:user_feed",
    }


@pytest.mark.parametrize("url_secret", _secret_urls(), ids=lambda item: item[0].split("/")[1])
def test_the_secret_is_redacted_in_the_path_a_next_parameter_and_a_referer(url_secret):
    url, secret = url_secret
    for line in (
        f'GET {url} HTTP/1.1" 302',
        f'GET {url}?download=1 HTTP/1.1" 200',
        f"GET /accounts/login/?next={urllib.parse.quote(url, safe='')} HTTP/1.1",
        f"GET /accounts/login/?next={urllib.parse.quote(url)}&x=1 HTTP/1.1",
        f'"https://masterbus.example{url}" "Mozilla/5.0"',  # the Referer of the next page
    ):
        cleaned = redact(line)
        assert secret not in cleaned and REDACTED in cleaned, line
        for part in secret.split(":"):
            assert part not in cleaned, line


def test_an_oauth_callbacks_code_and_state_are_redacted_and_plain_urls_are_left_alone():
    line = "GET /accounts/google/login/callback/?state=St4te&code=4/0AbCode&scope=email HTTP/1.1"
    cleaned = redact(line)
    assert "St4te" not in cleaned and "4/0AbCode" not in cleaned and "scope=email" in cleaned
    for plain in ("GET /songs/6f1c2d3e/ HTTP/1.1", "GET /accounts/password/reset/key/done/"):
        assert redact(plain) == plain


@pytest.mark.django_db
def test_djangos_request_log_keeps_no_token(client, caplog):
    """A 4xx on a signed link is logged by Django ("Not Found: <path>"): through the logging
    settings in force (the console handler, and any handler above django.request)."""
    (console,) = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    stream = io.StringIO()
    # Swapped, not setStream(): that flushes the old stream, which an earlier in-process CLI test
    # may have left pointing at pytest's closed capture of stderr.
    old, console.stream = console.stream, stream
    try:
        with caplog.at_level(logging.WARNING, logger="django.request"):
            assert client.get(reverse("mastering:file", args=[SECRET])).status_code in (404, 410)
            export = reverse("rights:export_download", args=[SECRET])
            assert client.get(export).status_code in (302, 404)
    finally:
        console.stream = old
    for text in (stream.getvalue(), caplog.text):
        assert ": /files/[redacted]" in text  # "Not Found: <path>" or "Gone: <path>"
        assert "s3cr3tKey" not in text and SECRET not in text


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_launchers_web_server_writes_no_token_to_its_access_log(monkeypatch, settings):
    """The gunicorn command `masterbus serve` runs, started for real: its access log lines
    show the requests with the secrets replaced."""
    settings.PAYMENTS_TEST_SERVER = False  # its own process, started before the web server

    class Captured(Exception):
        pass

    def capture(command):
        raise Captured(command)

    monkeypatch.setattr("django.core.management.call_command", lambda *a, **k: None)
    monkeypatch.setattr(launcher, "_spawn", capture)
    port = free_port()
    with pytest.raises(Captured) as spawned:
        launcher.serve(["--port", str(port), "--web-processes", "1", "--threads", "2"])
    (command,) = spawned.value.args
    assert "gunicorn" in command
    file_token, unsubscribe = links.sign({"f": "x"}), unsubscribe_token(7)
    web = subprocess.Popen(command, env=subprocess_env(), cwd=REPO,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_until(
            lambda: urllib.request.urlopen(base + "/", timeout=5).status == 200,
            60,
            interval=0.2,
            ignoring=(OSError,),
        )
        request = urllib.request.Request(
            f"{base}/files/{file_token}",  # a stranger: sent to sign in, with next=<the link>
            headers={"Referer": f"{base}/profile/unsubscribe/{unsubscribe}"},
        )
        assert urllib.request.urlopen(request, timeout=5).status == 200
        for path in (f"/profile/unsubscribe/{unsubscribe}", f"/accounts/confirm-email/{SECRET}/"):
            with contextlib.suppress(urllib.error.HTTPError):  # a 404 is logged all the same
                urllib.request.urlopen(base + path, timeout=5)
        time.sleep(0.5)
    finally:
        web.send_signal(signal.SIGTERM)
        output = web.communicate(timeout=30)[0].decode()
    assert f"GET /files/{REDACTED} HTTP/1.1" in output, output
    assert "GET /accounts/login/?next=/files/" + REDACTED in output, output
    for secret in (file_token, unsubscribe, SECRET, *file_token.split(":"), SECRET.split(":")[0]):
        assert secret not in output, output
