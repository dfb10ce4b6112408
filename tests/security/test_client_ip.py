"""P16: the client address behind trusted proxies, and the keyed hash that replaces it."""

from __future__ import annotations

import hashlib

import pytest
from django.test import RequestFactory

from masterbus.security.clientip import client_ip, client_ip_hash, ip_hash

rf = RequestFactory()


def request(remote: str = "192.0.2.10", forwarded: str | None = None):
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
    return rf.get("/", REMOTE_ADDR=remote, headers=headers)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request(forwarded="1.2.3.4")) == "192.0.2.10"


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (1, "198.51.100.7", "198.51.100.7"),
        # The client prepended a made-up address: only what our proxy appended counts.
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (2, "198.51.100.7", "192.0.2.10"),  # a hop is missing: fall back to the socket
        (1, "", "192.0.2.10"),
    ],
)
def test_behind_n_proxies_the_nth_address_from_the_right_is_the_client(
    settings, hops, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = hops
    assert client_ip(request(forwarded=forwarded)) == expected


def test_the_hash_is_keyed_and_never_the_plain_digest(settings):
    settings.IP_HASH_KEY = "one key"
    first = ip_hash("198.51.100.7")
    assert len(first) == 64 and "198.51.100.7" not in first
    assert first == ip_hash("198.51.100.7")  # stable: usable as a counter key
    assert first != ip_hash("198.51.100.8")
    assert first != hashlib.sha256(b"198.51.100.7").hexdigest()  # not guessable without the key
    settings.IP_HASH_KEY = "another key"
    assert ip_hash("198.51.100.7") != first
    settings.IP_HASH_KEY = ""  # falls back to a key derived from SECRET_KEY
    assert ip_hash("198.51.100.7") not in {first, hashlib.sha256(b"198.51.100.7").hexdigest()}


def test_ipv6_hosts_count_per_64_and_mapped_ipv4_as_ipv4():
    assert ip_hash("2001:db8:1:2::1") == ip_hash("2001:db8:1:2:ffff::9")
    assert ip_hash("2001:db8:1:2::1") != ip_hash("2001:db8:1:3::1")
    assert ip_hash("::ffff:198.51.100.7") == ip_hash("198.51.100.7")


def test_client_ip_hash_hashes_the_proxied_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip_hash(request(forwarded="198.51.100.7")) == ip_hash("198.51.100.7")
