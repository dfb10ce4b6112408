"""Studio and booking writes, one topic per module (import from the module, not from here):

- ``studios``: the "add your studio" application, staff approval, rooms, hours, add-ons;
- ``bookings``: making a booking (never overlapping) and every move of its state machine;
- ``payment``: the deposit checkout and the payments app's handler for "booking";
- ``age``: the 18+ confirmation booking needs (P7).
"""
