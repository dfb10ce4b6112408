"""Waiting for something another process does: one polling helper for every test."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(
    predicate: Callable[[], T],
    timeout: float,
    *,
    what: str | None = None,
    interval: float = 0.05,
    ignoring: tuple[type[BaseException], ...] = (),
) -> T | None:
    """Call ``predicate`` every ``interval`` seconds until it returns something true, and return
    that. Exceptions of the ``ignoring`` types count as "not yet" (a server still starting
    refuses connections). After ``timeout`` seconds: raise ``AssertionError("timed out waiting
    for <what>")`` if ``what`` names the awaited thing, else return ``None``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except ignoring:
            value = None
        if value:
            return value
        time.sleep(interval)
    if what is not None:
        raise AssertionError(f"timed out waiting for {what}")
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
