"""The tus 1.0.0 wire format: versions, extensions and the header values we parse and write."""

from __future__ import annotations

import base64
import binascii

from masterbus.uploads.errors import UploadError

TUS_EXTENSIONS = "creation,termination,expiration"
OFFSET_CONTENT_TYPE = "application/offset+octet-stream"


def parse_size(value: str | None, header: str) -> int:
    """A non-negative decimal integer header (Upload-Length, Upload-Offset)."""
    if value is None:
        raise UploadError("bad_request", f"The {header} header is missing.")
    value = value.strip()
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise UploadError("bad_request", f"The {header} header must be a whole number of bytes.")
    return int(value)


def parse_metadata(value: str | None) -> dict[str, str]:
    """Upload-Metadata: comma-separated "key base64(value)" pairs; values decoded as UTF-8."""
    metadata: dict[str, str] = {}
    if not value or not value.strip():
        return metadata
    for pair in value.split(","):
        key, _, encoded = pair.strip().partition(" ")
        if not key or key in metadata:
            raise UploadError("bad_request", "The Upload-Metadata header is malformed.")
        try:
            raw = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise UploadError(
                "bad_request", f"The Upload-Metadata value for {key!r} is not valid base64."
            ) from None
        metadata[key] = raw.decode("utf-8", errors="replace")
    return metadata


def format_metadata(metadata: dict[str, str]) -> str:
    return ",".join(
        f"{key} {base64.b64encode(value.encode()).decode('ascii')}"
        for key, value in metadata.items()
    )
