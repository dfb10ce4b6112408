"""The 18+ confirmation for the booking marketplace (P7), kept the way sign-up keeps its own:
only when it was confirmed and which minimum it met; the date of birth is checked and forgotten.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from masterbus.accounts.forms import age_on
from masterbus.studios.errors import AdultRequired


def is_adult(user) -> bool:
    """Whether the account confirmed the booking marketplace's minimum age."""
    confirmed = getattr(user, "age_confirmed_minimum", None) or 0
    return confirmed >= settings.BOOKING_MINIMUM_AGE


def adult_confirm(*, user, born: dt.date) -> None:
    """Record that the user confirmed being old enough to book; refuse when they are not."""
    if age_on(born, timezone.localdate()) < settings.BOOKING_MINIMUM_AGE:
        raise AdultRequired(
            f"Booking studios is for people aged {settings.BOOKING_MINIMUM_AGE} or older."
        )
    type(user).objects.filter(pk=user.pk).update(
        age_confirmed_at=timezone.now(), age_confirmed_minimum=settings.BOOKING_MINIMUM_AGE
    )
    user.age_confirmed_minimum = settings.BOOKING_MINIMUM_AGE
