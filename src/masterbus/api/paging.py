"""Lists a page at a time, one shape for all: ``{count, next, previous, items}``.

Query parameters an operation does not know are refused (422), so a typo such as ``?limt=10``
is reported instead of being silently ignored.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest
from django.urls import reverse

from masterbus.api.errors import ApiError
from masterbus.api.schemas import PageQuery


def refuse_unknown_query(request: HttpRequest, known: Iterable[str]) -> None:
    unknown = sorted(set(request.GET) - set(known))
    if unknown:
        name = unknown[0]
        raise ApiError(422, "validation_error", f"{name}: unknown query parameter", field=name)


def page_out(
    request: HttpRequest, paging: PageQuery, *, url_name: str, count: int, items: list
) -> dict:
    """The page's answer with links to the pages before and after it (None at either end)."""
    refuse_unknown_query(request, PageQuery.model_fields)
    base, limit, offset = reverse(url_name), paging.limit, paging.offset
    after = offset + limit
    return {
        "count": count,
        "next": f"{base}?limit={limit}&offset={after}" if after < count else None,
        "previous": f"{base}?limit={limit}&offset={max(offset - limit, 0)}" if offset else None,
        "items": items,
    }
