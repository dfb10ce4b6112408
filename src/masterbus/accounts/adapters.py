"""allauth adapters, one per customisation: sign-up (P7), two-factor (P2), social sign-in (P3)."""

from __future__ import annotations

import base64

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from masterbus.security.clientip import client_ip_hash

# P3: what is kept of a provider's profile. The account id is kept as the SocialAccount's uid;
# these are the fields the person authorised with the scopes we ask for and that we use
# (address, whether the provider verified it, a name to show). Tokens are never stored.
SOCIAL_FIELDS = {
    "google": ("sub", "email", "email_verified"),
    "discord": ("id", "username", "global_name", "email", "verified"),
}


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        """The keyed hash of the client address (P16): allauth keys its rate limits by this, so
        no raw address reaches the cache."""
        return client_ip_hash(request)

    def save_user(self, request, user, form, commit: bool = True):
        """Record the age confirmation the sign-up forms checked (P7); social sign-up too."""
        user = super().save_user(request, user, form, commit=False)
        user.age_confirmed_at = timezone.now()
        user.age_confirmed_minimum = settings.MINIMUM_AGE
        if commit:
            user.save()
        return user


def mfa_key(label: bytes) -> bytes:
    """32 bytes for one two-factor use, from MFA_ENCRYPTION_KEY, else from SECRET_KEY.

    HKDF turns any key material into a key of the right size, and the ``label`` keeps each use's
    key apart from the others and from every other use of SECRET_KEY.
    """
    material = (settings.MFA_ENCRYPTION_KEY or settings.SECRET_KEY).encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(material)


def _cipher() -> Fernet:
    """Fernet (AES-128-CBC + HMAC-SHA256) for the TOTP secret."""
    return Fernet(base64.urlsafe_b64encode(mfa_key(b"masterbus.mfa")))


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets are stored encrypted (P2); recovery codes are hashed (recovery_codes.py)."""

    def encrypt(self, text: str) -> str:
        return _cipher().encrypt(text.encode()).decode("ascii")

    def decrypt(self, encrypted_text: str) -> str:
        try:
            return _cipher().decrypt(encrypted_text.encode("ascii")).decode()
        except InvalidToken:
            raise ImproperlyConfigured(
                "a two-factor secret cannot be decrypted: MFA_ENCRYPTION_KEY (or SECRET_KEY, "
                "when it is unset) is not the key it was stored with"
            ) from None


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        """Only providers configured in the environment (settings) exist; rows that someone
        added in the database are ignored, so an unconfigured provider stays invisible (P3)."""
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        return [app for app in apps if app.pk is None]

    def populate_user(self, request, sociallogin, data):
        """Trim the provider's profile to the allow-list before anything is saved (P3).

        allauth calls this while building the login, before it looks up or saves the account.
        """
        account = sociallogin.account
        allowed = SOCIAL_FIELDS.get(account.provider, ())
        account.extra_data = {k: v for k, v in account.extra_data.items() if k in allowed}
        user = super().populate_user(request, sociallogin, data)
        user.display_name = (data.get("name") or "")[:150]
        return user
