"""What a person can fix when booking or running a studio (codes are stable for the API)."""

from __future__ import annotations

from masterbus.core.errors import DomainError


class SlotTaken(DomainError):
    """The room is already booked (or in its changeover buffer) for part of the time."""

    code = "slot_taken"


class SlotUnavailable(DomainError):
    """The time is outside the room's opening hours, too short, too long or in the past."""

    code = "slot_unavailable"


class AdultRequired(DomainError):
    """Booking needs the 18+ confirmation (P7)."""

    code = "adult_required"


class BookingStateError(DomainError):
    """The booking is no longer in a state that allows this (already paid, cancelled...)."""

    code = "booking_state"


class StudioLimit(DomainError):
    """A per-owner or per-client bound (studios, rooms, pending bookings)."""

    code = "limit_reached"


class TermsRequired(DomainError):
    """The studio has terms: the client signs them by typing their name."""

    code = "terms_required"


class SampleInvalid(DomainError):
    """A portfolio sample without a title, too large, too long or not audio we can play."""

    code = "bad_sample"


class EngineerNotApproved(DomainError):
    """Only an engineer whose profile staff approved offers bookable sessions."""

    code = "engineer_not_approved"
