"""Platform handles (P31): a handle or a link, checked against the platform's own name rules and
stored as one canonical https URL, so a profile never links anywhere but the platform itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from masterbus.core.errors import DomainError


class HandleError(DomainError, ValueError):
    """The value is neither a valid handle nor a link to the platform; the message says why."""

    code = "bad_handle"


@dataclass(frozen=True)
class Platform:
    key: str
    label: str
    hosts: tuple[str, ...]  # hosts a pasted link may have
    pattern: str  # the handle (or id), also as the path of a pasted link
    template: str  # canonical URL from the handle
    example: str

    def canonical(self, value: str) -> str:
        """The canonical URL for a handle or a link to this platform."""
        text = value.strip()
        handle = self._handle_from_link(text) if "/" in text or ":" in text else text
        handle = handle.removeprefix("@")
        if not re.fullmatch(self.pattern, handle):
            raise HandleError(
                f"That is not a {self.label} name or link, for example {self.example}."
            )
        return self.template.format(handle)

    def _handle_from_link(self, text: str) -> str:
        if text.startswith("spotify:artist:") and self.key == "spotify":
            return text.removeprefix("spotify:artist:")
        parts = urlsplit(text if "://" in text else "https://" + text)
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https") or not any(
            host == h or host.endswith("." + h) for h in self.hosts
        ):
            raise HandleError(f"That link does not lead to {self.label}.")
        if self.key == "bandcamp":  # the name is the subdomain: name.bandcamp.com
            return host.removesuffix(".bandcamp.com") if host != "bandcamp.com" else ""
        path = parts.path.strip("/")
        if self.key == "spotify":
            path = path.removeprefix("artist/")
        return path


PLATFORMS: tuple[Platform, ...] = (
    Platform("soundcloud", "SoundCloud", ("soundcloud.com",), r"[a-z0-9][a-z0-9_-]{2,24}",
             "https://soundcloud.com/{}", "soundcloud.com/your-name"),
    Platform("spotify", "Spotify", ("open.spotify.com",), r"[0-9A-Za-z]{22}",
             "https://open.spotify.com/artist/{}",
             "open.spotify.com/artist/0OdUWJ0sBjDrqHygGUXeCF"),
    Platform("bandcamp", "Bandcamp", ("bandcamp.com",), r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?",
             "https://{}.bandcamp.com", "your-name.bandcamp.com"),
    Platform("youtube", "YouTube", ("youtube.com",), r"[A-Za-z0-9._-]{3,30}",
             "https://www.youtube.com/@{}", "@your-name"),
    Platform("instagram", "Instagram", ("instagram.com",), r"[A-Za-z0-9._]{1,30}",
             "https://www.instagram.com/{}", "@your.name"),
)  # fmt: skip
PLATFORMS_BY_KEY = {p.key: p for p in PLATFORMS}
