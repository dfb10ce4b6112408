"""What the orders services refuse, in words a person can act on."""

from __future__ import annotations

from masterbus.core.errors import DomainError


class OrderError(DomainError):
    """A refused order action; ``code`` says which (the API maps it to a status)."""

    code = "order_refused"


class WrongState(OrderError):
    """The order is not in a state that allows this move (someone else moved it first)."""

    code = "order_state"
