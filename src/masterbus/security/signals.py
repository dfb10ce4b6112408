"""Signals of the security app, for the apps above it (it imports none of them)."""

from __future__ import annotations

from django.dispatch import Signal

# "Sign out all other sessions" (P4): sent with ``request`` and ``user`` in the transaction that
# ends them. Each receiver revokes the other credentials its app issues (the API's tokens) and
# returns how many it revoked, for the confirmation.
other_sessions_ended = Signal()
