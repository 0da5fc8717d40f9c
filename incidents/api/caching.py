"""HTTP caching for the API's reads: ETag, Last-Modified and 304 Not Modified, and
the aggregate endpoints' bodies kept in Django's cache.

The data version row (``incidents.upkeep.freshness``), not the rows, keys everything. A
write anywhere bumps it in the write's own transaction (and its public version, which
keys anonymous readers' validators, only if readers can see the write), so
"has anything changed?" is one primary-key read, the same at a million incidents
as at sixty, where hashing the body or taking ``MAX(updated_at)`` would cost what
building the response costs (and a deleted row leaves no ``updated_at``). The
price is coarseness: any change invalidates every validator and cached aggregate,
which suits data that changes a few times an hour and is read far more often.

A representation is named by, and its ETag and cache key are a hash of:

- the version and the time it changed (the time too, so that a database restored
  or flushed, whose version counts up from 1 again, never repeats a pair);
- the absolute URI: scheme, host, path and query string (paginated bodies carry
  absolute ``next``/``previous`` links; ``?format=`` is in the query);
- the negotiated media type (``Accept``: DRF's JSON renderer takes ``indent``);
- the active language (``Accept-Language`` or the language cookie), since error
  messages and labels are translated;
- the caller's visibility scope: whether they may see unpublished incidents
  (``selectors.user_sees_unpublished``, the only thing that changes what a caller
  sees). Every reader shares one scope, every editor another, so a body an editor
  filled is never served to a reader.

The ETag is weak (``W/"..."``): it names the data behind a representation, not its
bytes, and GZipMiddleware would weaken a strong one anyway. ``Last-Modified`` has
HTTP's one-second resolution, so a client that sends only ``If-Modified-Since`` may
miss a second change within the second of the first; ``If-None-Match`` is exact
and takes precedence.

Cache-Control: ``public, max-age=0, must-revalidate`` for anonymous callers: a
browser or CDN may store the response but must ask again before each use, which
costs us one version read and a bodiless 304. No ``s-maxage`` grace period: a
retraction must leave every copy at once, not seconds later. Signed-in callers get
``private`` with the same revalidation, as their responses may hold drafts.
``Vary: Accept, Accept-Language, Cookie, Authorization`` tells shared caches which
request headers pick the representation.

The 304 check runs in ``initial()``, after DRF's authentication, permissions and
throttles: a 304 is never a way around them, and it counts against the throttle.
"""

import hashlib
from dataclasses import dataclass

import orjson
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseBase
from django.utils import translation
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.request import Request

from .. import selectors
from ..upkeep import AGGREGATE_TIMEOUT, data_freshness

READ_METHODS = ("GET", "HEAD")
VARY = ("Accept", "Accept-Language", "Cookie", "Authorization")
# A body larger than this (clusters of a whole continent at street zoom) is cheaper
# to recompute than to hold in every worker's memory.
AGGREGATE_MAX_BYTES = 256 * 1024
_KEY_PREFIX = "api-read"


@dataclass(frozen=True)
class ReadValidators:
    etag: str
    last_modified: int  # seconds since the epoch
    cache_key: str
    private: bool
    # The scope and ``Freshness.token`` of the version it follows: what changes
    # with every write that scope can see.
    data_token: str


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "If-Match or If-Unmodified-Since does not hold."
    default_code = "precondition_failed"


class _Answered(Exception):
    """Carries a response decided before the handler ran (304, or a cached body)."""

    def __init__(self, response: HttpResponseBase):
        super().__init__()
        self.response = response


READERS, EDITORS = "readers", "editors"
SCOPES = (READERS, EDITORS)


def visibility_scope(user) -> str:
    return EDITORS if selectors.user_sees_unpublished(user) else READERS


def read_validators(request: Request) -> ReadValidators:
    """The validators of the representation ``request`` asks for, from the current
    data version (one query). Needs DRF's ``initial()`` to have run: it reads the
    authenticated user and the negotiated media type."""
    scope = visibility_scope(request.user)
    # Readers' validators follow the public version alone, so that a draft's edit
    # cannot be timed through them; editors', which cover drafts, every change.
    freshness = data_freshness(public=scope == READERS)
    inputs = (
        str(freshness.version),
        freshness.changed_at.isoformat(),
        request.build_absolute_uri(),
        str(getattr(request, "accepted_media_type", "") or ""),
        translation.get_language() or "",
        scope,
    )
    # Hashed as a JSON array, so no two different tuples can give the same text.
    token = hashlib.sha256(orjson.dumps(inputs)).hexdigest()[:40]
    return ReadValidators(
        etag=f'W/"{token}"',
        last_modified=int(freshness.changed_at.timestamp()),
        cache_key=f"{_KEY_PREFIX}:{token}",
        private=bool(request.user and request.user.is_authenticated),
        data_token=f"{scope}.{freshness.token}",
    )


def conditional_answer(request: Request, validators: ReadValidators):
    """304 if the client's copy is current (If-None-Match first, else
    If-Modified-Since, RFC 9110 13.2.2, by Django's own evaluation), else None.
    Raises ``PreconditionFailed`` for a failed If-Match/If-Unmodified-Since."""
    answer = get_conditional_response(
        request, etag=validators.etag, last_modified=validators.last_modified
    )
    if answer is None:
        return None
    if answer.status_code == status.HTTP_412_PRECONDITION_FAILED:
        raise PreconditionFailed()
    return answer


def cached_aggregate(validators: ReadValidators) -> HttpResponse | None:
    stored = cache.get(validators.cache_key)
    if stored is None:
        return None
    content, content_type = stored
    response = HttpResponse(content, content_type=content_type)
    response.from_aggregate_cache = True
    return response


def store_aggregate(response: HttpResponseBase, validators: ReadValidators) -> None:
    if response.streaming or getattr(response, "from_aggregate_cache", False):
        return
    render = getattr(response, "render", None)
    if render is not None:
        render()  # a DRF Response renders lazily; Django would render it next anyway
    if len(response.content) > AGGREGATE_MAX_BYTES:
        return
    cache.set(
        validators.cache_key,
        (response.content, response["Content-Type"]),
        AGGREGATE_TIMEOUT,
    )


def add_validators(response: HttpResponseBase, validators: ReadValidators) -> None:
    """ETag, Last-Modified, Cache-Control and Vary on a 200 or 304 (never on an
    error: a validator promises the body is the resource's representation)."""
    response["ETag"] = validators.etag
    response["Last-Modified"] = http_date(validators.last_modified)
    if validators.private:
        patch_cache_control(response, private=True, max_age=0, must_revalidate=True)
    else:
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    patch_vary_headers(response, VARY)


class ConditionalReadMixin:
    """For an ``APIView``: validators on every successful GET/HEAD, 304 for a client
    whose copy is current. ``cache_aggregate = True`` also keeps the body in the
    cache, for endpoints whose body costs a scan of the incidents to compute."""

    cache_aggregate = False
    read_validators: ReadValidators | None = None

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)  # authentication, throttles
        if request.method not in READ_METHODS:
            return
        self.read_validators = validators = read_validators(request)
        answer = conditional_answer(request, validators)
        if answer is None and self.cache_aggregate:
            answer = cached_aggregate(validators)
        if answer is not None:
            # The only way out of initial() without running the handler.
            raise _Answered(answer)

    def handle_exception(self, exc: Exception) -> HttpResponseBase:
        if isinstance(exc, _Answered):
            return exc.response
        return super().handle_exception(exc)

    def finalize_response(self, request: Request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        validators = self.read_validators
        if validators is None or response.status_code not in (200, 304):
            return response
        if self.cache_aggregate and response.status_code == 200:
            store_aggregate(response, validators)
        add_validators(response, validators)
        return response


class CachedAggregateMixin(ConditionalReadMixin):
    cache_aggregate = True
