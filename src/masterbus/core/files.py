"""Serving stored files with HTTP range requests, which audio players need to seek."""

from __future__ import annotations

import mimetypes
import re

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 1 << 16


def stored_file_response(
    request: HttpRequest, name: str, *, filename: str, as_attachment: bool
) -> HttpResponse:
    """The stored file, whole or the one byte range asked for (206)."""
    size = default_storage.size(name)
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    handle = default_storage.open(name, "rb")
    match = _RANGE.match(request.headers.get("Range", "").strip())
    if match and (match[1] or match[2]):
        start, end = _bounds(match[1], match[2], size)
        if start is None:
            handle.close()
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        handle.seek(start)
        response = FileResponse(_limited(handle, end - start + 1), status=206)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    else:
        response = FileResponse(handle)
        response["Content-Length"] = str(size)
    response["Content-Type"] = content_type
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _bounds(first: str, last: str, size: int) -> tuple[int | None, int]:
    if not first:  # suffix range: the last N bytes
        length = int(last)
        return (max(size - length, 0), size - 1) if length > 0 and size else (None, 0)
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    return (start, end) if start <= end else (None, 0)


def _limited(handle, remaining: int):
    try:
        while remaining > 0:
            block = handle.read(min(CHUNK, remaining))
            if not block:
                break
            remaining -= len(block)
            yield block
    finally:
        handle.close()
