"""An approved engineer's bookable sessions: a Studio of kind "engineer" linked to their
profile, whose rooms are session offers, so hours, no-overlap bookings, deposits, terms and
rescheduling are the studios' own. It needs no staff approval of its own: it is listed while
the engineer is approved (``selectors.studios_listed``)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from masterbus.studios.errors import EngineerNotApproved
from masterbus.studios.models import Studio, StudioKind

SESSIONS_ADDRESS = "Online, or at your studio by arrangement"


def engineer_sessions_open(*, profile, time_zone: str, city: str = "") -> Studio:
    """The engineer's sessions studio, created on first call (one per profile: the one-to-one
    link makes a second concurrent call find the first); refused unless the profile is
    approved."""
    if profile.approved_at is None:
        raise EngineerNotApproved(
            "Your engineer profile is waiting for approval: sessions open once it is approved."
        )
    found = Studio.objects.filter(engineer=profile).first()
    if found is not None:
        return found
    studio = Studio(
        owner=profile.user,
        engineer=profile,
        kind=StudioKind.ENGINEER,
        name=profile.display_name,
        city=city.strip() or "Online",
        address=SESSIONS_ADDRESS,
        time_zone=time_zone,
        genres=profile.genres,
        credits=profile.credits[:2000],
        description=profile.bio,
    )
    studio.full_clean()
    try:
        with transaction.atomic():
            studio.save()
    except IntegrityError:
        return Studio.objects.get(engineer=profile)
    return studio
