"""P14: audio goes to no service the privacy page does not list.

On the embedded default the page says nobody receives anything, and mastering a song opens no
connection beyond this machine; every outside service the settings can switch on (mail, object
storage, Stripe, a model provider for the assistant) is listed as soon as it is configured.
"""

from __future__ import annotations

import ipaddress
import socket

import pytest

from masterbus.accounts.owner import Owner
from masterbus.mastering.models import JobStatus
from tests.platform.fixtures import master_song

pytestmark = pytest.mark.django_db(transaction=True)  # the job runs with its heartbeat thread


@pytest.fixture
def outside_connections(monkeypatch) -> list:
    """Every attempt to reach a host that is not this machine: refused and recorded."""
    attempts: list = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def outside(sock: socket.socket, address) -> bool:
        if sock.family not in (socket.AF_INET, socket.AF_INET6):
            return False  # Unix sockets stay on this machine
        host = address[0]
        try:
            return not ipaddress.ip_address(host).is_loopback
        except ValueError:  # a name: resolving it would already leave the machine
            return host != "localhost"

    def connect(sock, address):
        if outside(sock, address):
            attempts.append(address)
            raise OSError("P14 test: no outside connections")
        return real_connect(sock, address)

    def connect_ex(sock, address):
        if outside(sock, address):
            attempts.append(address)
            return 111
        return real_connect_ex(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    return attempts


def test_the_guard_notices_an_outside_connection(outside_connections):
    with pytest.raises(OSError), socket.create_connection(("192.0.2.1", 443), timeout=1):
        pass
    assert outside_connections == [("192.0.2.1", 443)]


def test_mastering_on_the_embedded_default_sends_audio_nowhere(
    client, settings, song_path, outside_connections
):
    page = client.get("/privacy/").text
    if settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage"):
        assert "this site sends your data to no other service" in page
    else:  # the scale-out run: its object storage (on loopback here) is listed
        assert "File storage at" in page
    job = master_song(Owner(user=None, guest_key="p" * 43), song_path)
    assert job.status == JobStatus.DONE, job.error_message
    assert job.deliveries.count() == 4
    assert outside_connections == []


def test_each_configured_outside_service_is_listed(client, settings):
    settings.STRIPE_SECRET_KEY = "sk_live_example"
    settings.PAYMENTS_TEST_SERVER = False
    settings.ASSISTANT_PROVIDER = "openai"
    settings.ASSISTANT_PROVIDER_URL = "https://llm.example.org/v1/chat/completions"
    page = client.get("/privacy/").text
    assert "Card payments through Stripe" in page
    assert "language model at llm.example.org" in page
    assert "never your audio" in page
    assert "no other service" not in page

    settings.PAYMENTS_TEST_SERVER = True  # the built-in test server is this machine
    settings.ASSISTANT_PROVIDER = "offline"
    page = client.get("/privacy/").text
    assert "Stripe" not in page and "language model" not in page
