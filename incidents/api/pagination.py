"""Page-number pagination with a total count and ``next``/``previous`` links."""

import math
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from rest_framework.exceptions import NotFound
from rest_framework.request import Request

from ..filters.params import DEFAULT_PAGE_SIZE


@dataclass(frozen=True)
class Page:
    rows: QuerySet
    count: int
    next: str | None
    previous: str | None


def _link(request: Request, page: int) -> str:
    query = request.query_params.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def paginate(
    request: Request,
    queryset: QuerySet,
    parsed: dict,
    rows: Callable[[int], QuerySet] | None = None,
    count: Callable[[], int | None] | None = None,
) -> Page:
    """Count ``queryset`` (unless ``count()`` knows the same number another way)
    and slice it, or slice ``rows(count)`` (the same rows, perhaps written for a
    faster plan once the count is known); a page past the last one is a 404, as in
    DRF."""
    page = parsed.get("page", 1)
    size = parsed.get("page_size", DEFAULT_PAGE_SIZE)
    known = None if count is None else count()
    count = queryset.count() if known is None else known
    last = max(1, math.ceil(count / size))
    if page > last:
        raise NotFound(f"page {page} does not exist; the last page is {last}")
    start = (page - 1) * size
    source = queryset if rows is None else rows(count)
    return Page(
        rows=source[start : start + size],
        count=count,
        next=_link(request, page + 1) if page < last else None,
        previous=_link(request, page - 1) if page > 1 else None,
    )
