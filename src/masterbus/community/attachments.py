"""What a post can carry besides text: a registry of attachment kinds (contract with training).

A resolver is ``resolver(object_id: str, *, owner=None) -> Attachment | None``. With ``owner``
(when posting) it answers only for that user's own object, so nobody attaches someone else's
song or score; without (when showing) it describes the object the poster shared. Posts keep a
snapshot of the answer, so a feed never calls resolvers per row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Attachment:
    kind: str
    object_id: str
    title: str
    summary: str
    url: str
    audio_url: str = ""

    def snapshot(self) -> dict:
        return asdict(self)


Resolver = Callable[..., "Attachment | None"]
_RESOLVERS: dict[str, Resolver] = {}


def register(kind: str, resolver: Resolver) -> None:
    """Make ``kind`` attachable (registering a kind again replaces its resolver)."""
    _RESOLVERS[kind] = resolver


def kinds() -> list[str]:
    return sorted(_RESOLVERS)


def resolve(kind: str, object_id: str, *, owner=None) -> Attachment | None:
    """The attachment, or None for an unknown kind or an object the owner cannot share."""
    resolver = _RESOLVERS.get(kind)
    if resolver is None or not object_id or len(object_id) > 64 or "\x00" in object_id:
        return None
    return resolver(object_id, owner=owner)
