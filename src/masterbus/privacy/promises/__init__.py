"""The promises registry (P1-P36 of the product brief): each promise, whether the code keeps it
today, the code that keeps it and the tests that prove it; one module per topic of the brief.

The public promises page and the privacy policy are rendered from this list, and
tests/privacy/test_promises.py checks every link (code imports, test node ids exist), so the
registry cannot claim more than the code does.
"""

from __future__ import annotations

from masterbus.privacy.promises.accounts import ACCOUNTS
from masterbus.privacy.promises.commerce import COMMERCE
from masterbus.privacy.promises.cookies import COOKIES
from masterbus.privacy.promises.files import FILES
from masterbus.privacy.promises.model import Promise, Status
from masterbus.privacy.promises.rights import RIGHTS
from masterbus.privacy.promises.security import SECURITY

PROMISES: tuple[Promise, ...] = (*ACCOUNTS, *FILES, *SECURITY, *COMMERCE, *COOKIES, *RIGHTS)

__all__ = ["PROMISES", "Promise", "Status", "promises_by_status"]


def promises_by_status() -> dict[Status, list[Promise]]:
    """Promises grouped by status, in registry order (for the public page)."""
    grouped: dict[Status, list[Promise]] = {status: [] for status in Status}
    for promise in PROMISES:
        grouped[promise.status].append(promise)
    return grouped
