"""The studio's terms and the client's signature of them (by typed name, at a time, over the
exact text, hashed with SHA-256, with the terms' version). The record here is what the sealed
agreement PDF shows (``masterbus.studios.agreements``)."""

from __future__ import annotations

import hashlib

from django.db.models import F

from masterbus.studios.errors import TermsRequired
from masterbus.studios.models import Agreement, Booking, Studio

MAX_NAME = 120


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def terms_update(*, studio: Studio, text: str) -> Studio:
    """New terms get a new version; bookings keep the version their client signed."""
    text = text.strip()
    if text != studio.terms:
        Studio.objects.filter(pk=studio.pk).update(terms=text, terms_version=F("terms_version") + 1)
        studio.refresh_from_db()
    return studio


def terms_check(studio: Studio, *, signed_name: str, terms_version: int | None) -> None:
    """Refuse a booking whose client did not sign the terms shown (before anything is written)."""
    if not studio.terms:
        return
    if not 0 < len(signed_name.strip()) <= MAX_NAME:
        raise TermsRequired("Type your full name to sign the studio's terms.")
    if terms_version is not None and terms_version != studio.terms_version:
        raise TermsRequired(
            "The studio's terms changed since you opened this page; please read them again."
        )


def agreement_sign(*, booking: Booking, signer, signed_name: str) -> Agreement | None:
    """Record the signature (inside the booking's transaction); None when there are no terms."""
    studio = booking.room.studio
    if not studio.terms:
        return None
    return Agreement.objects.create(
        booking=booking,
        signer=signer,
        signed_name=signed_name.strip(),
        terms_version=studio.terms_version,
        text=studio.terms,
        text_sha256=text_hash(studio.terms),
    )


def agreement_intact(agreement: Agreement) -> bool:
    """Whether the kept text still has the hash recorded when it was signed."""
    return text_hash(agreement.text) == agreement.text_sha256
