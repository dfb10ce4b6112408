"""Studios: studio profiles, rooms, opening hours, availability in the studio's time zone and
bookings that never overlap (capability B)."""
