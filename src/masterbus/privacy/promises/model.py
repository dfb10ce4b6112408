"""The shape of a promise in the registry, and the test paths the entries share."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    KEPT = "kept"  # the code keeps it and a test proves it
    PARTIAL = "partial"  # part of it is kept; `missing` says what is not yet
    PLANNED = "planned"  # promised, not built yet


@dataclass(frozen=True)
class Promise:
    id: str
    topic: str
    text: str
    status: Status
    code: tuple[str, ...] = ()  # dotted paths to the modules, objects or settings that keep it
    tests: tuple[str, ...] = ()  # pytest node ids that prove it
    missing: str = ""  # for partial promises: what the code does not do yet


_UP = "tests/uploads/"
_MV = "tests/mastering/test_views.py::"
_MS = "tests/mastering/test_services.py::"
_GU = "tests/accounts/test_guests_and_sign_in.py::"
_PV = "tests/privacy/"
_PR = "tests/profiles/"
_SU = "tests/accounts/test_sign_up.py::"
_TF = "tests/accounts/test_two_factor.py::"
_SO = "tests/accounts/test_social_sign_in.py::"
_SE = "tests/security/"
_RL = "tests/security/test_rate_limits.py::"
_SL = "tests/security/test_security_log.py::"
_RX = "tests/rights/test_export.py::"
_RD = "tests/rights/test_deletion.py::"
_RQ = "tests/rights/test_requests.py::"
_RS = "tests/rights/test_staff.py::"
_RB = "tests/browser/test_rights.py::"
