"""P2: the one place that hooks allauth's recovery codes (masterbus.accounts.recovery_codes), its
guard against an allauth upgrade, and the move of sets stored in allauth's seed format."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import allauth
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal import auth, flows
from django.core import checks

from masterbus.accounts.recovery_codes import (
    AllauthRecoveryCodes,
    HashedRecoveryCodes,
    check_shown_once,
)
from masterbus.accounts.services import recovery_codes_rehash_legacy
from tests.platform.fixtures import make_user

# allauth modules that name the wrapper class, and what its interface is, as hooked. An upgrade
# that adds a place or a method fails here, so the hook is reviewed before it is trusted.
PLACES = {
    "mfa/models.py",
    "mfa/recovery_codes/internal/auth.py",
    "mfa/recovery_codes/internal/flows.py",
}
INTERFACE = {
    "activate",
    "generate_seed",
    "generate_codes",
    "get_unused_codes",
    "validate_code",
    "mark_as_viewed",
    "did_view",
    "_get_migrated_codes",
    "_is_code_used",
    "_mark_code_used",
    "_validate_migrated_code",
}
OVERRIDDEN = {"activate", "generate_codes", "get_unused_codes", "validate_code", "mark_as_viewed"}


def test_allauth_uses_the_hashed_wrapper_everywhere():
    root = Path(allauth.__file__).parent
    naming = {
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts and re.search(r"\bRecoveryCodes\b", path.read_text())
    }
    assert naming == PLACES
    assert flows.RecoveryCodes is auth.RecoveryCodes is HashedRecoveryCodes
    assert isinstance(Authenticator(type="recovery_codes", data={}).wrap(), HashedRecoveryCodes)
    members = {name for name in vars(AllauthRecoveryCodes) if not name.startswith("__")}
    assert members == INTERFACE
    assert set(vars(HashedRecoveryCodes)) >= OVERRIDDEN
    # Our wrapper shows codes because allauth's flow marks the set viewed before reading it.
    source = inspect.getsource(flows.view_recovery_codes)
    assert source.index("mark_as_viewed()") < source.index("return wrapper")


@pytest.mark.django_db
def test_seeds_left_by_allauth_become_hashes():
    shown, unseen = make_user("shown@example.com"), make_user("unseen@example.com")
    legacy = AllauthRecoveryCodes.activate(shown)  # allauth's own format: an encrypted seed
    codes = legacy.get_unused_codes()
    assert legacy.validate_code(codes[0])  # used before the move
    legacy.mark_as_viewed()
    AllauthRecoveryCodes.activate(unseen)

    assert recovery_codes_rehash_legacy(authenticators=Authenticator.objects.all()) == 2
    assert recovery_codes_rehash_legacy(authenticators=Authenticator.objects.all()) == 0

    moved = Authenticator.objects.get(user=shown)
    assert "seed" not in moved.data and "used_mask" not in moved.data
    assert not any(code in str(moved.data) for code in codes)
    assert len(moved.data["hashes"]) == 9
    wrapper = moved.wrap()
    assert not wrapper.validate_code(codes[0])
    assert wrapper.validate_code(codes[5]) and not wrapper.validate_code(codes[5])
    # Nobody ever saw the other set: it is empty until its first view makes codes.
    assert Authenticator.objects.get(user=unseen).data == {"hashes": [], "total": 0}


def test_the_codes_must_be_shown_once(settings):
    assert check_shown_once in checks.registry.registry.get_checks()
    settings.MFA_RECOVERY_CODES_SHOW_ONCE = False
    assert [error.id for error in check_shown_once()] == ["accounts.E001"]
    settings.MFA_RECOVERY_CODES_SHOW_ONCE = True
    assert check_shown_once() == []
