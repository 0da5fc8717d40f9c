"""Whole-set downloads kept as files until the data changes.

"Download everything" is the one export many readers ask for unchanged, and at a
million incidents it costs a worker 25–35 s to write (``bench/scale.py``). So the
first such download is written to a file as it streams, and until the data version
moves every later one is that file, read from disk in blocks.

- Only exports without filters are kept (the query string names at most
  ``format`` and ``ordering``): their number is bounded, while filtered exports
  would each leave a file for a view nobody repeats.
- A file is named by the scope and its data version (``freshness``: readers'
  files by the public one) and the hash the ETag is made
  of (URI, media type, language, and whether the caller sees unpublished
  incidents), so a change anywhere, a retraction included, stops every older file
  from being served at once; the next file written removes the old ones.
- A file appears only complete: written under a temporary name and renamed when
  the last chunk has gone out. A download cut off, or a disk that fills up, leaves
  nothing behind and never breaks the response itself.

``BASEWATCH_EXPORT_CACHE_DIR`` says where (default ``var/exports`` in the project);
set it empty to keep no files.
"""

import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse

from .caching import SCOPES, ReadValidators

logger = logging.getLogger(__name__)

KEPT_PARAMETERS = frozenset({"format", "ordering"})
SUFFIX = ".export"
# Read size when the server has no sendfile (``wsgi.file_wrapper``) to offer.
BLOCK_BYTES = 256 * 1024


def export_response(
    request,
    chunks: Callable[[], Iterator[str | bytes]],
    validators: ReadValidators,
    content_type: str,
) -> HttpResponseBase:
    """The download: the kept file when there is one, else ``chunks()`` streamed,
    and kept on the way when the export has no filters."""
    if request.method == "GET" and keeps(request.query_params):
        kept = kept_export(validators, content_type)
        if kept is not None:
            return kept
        body = keeping(chunks(), validators)
        return StreamingHttpResponse(body, content_type=content_type)
    return StreamingHttpResponse(chunks(), content_type=content_type)


def export_cache_dir() -> Path | None:
    configured = getattr(settings, "BASEWATCH_EXPORT_CACHE_DIR", "")
    return Path(configured) if configured else None


def keeps(query_params: Iterable[str]) -> bool:
    """Whether an export with these parameters is kept as a file."""
    return export_cache_dir() is not None and set(query_params) <= KEPT_PARAMETERS


def _prefix(validators: ReadValidators) -> str:
    return validators.data_token + "-"


def _path(validators: ReadValidators) -> Path:
    token = validators.cache_key.rsplit(":", 1)[-1]
    return export_cache_dir() / f"{_prefix(validators)}{token}{SUFFIX}"


def kept_export(validators: ReadValidators, content_type: str) -> FileResponse | None:
    """The kept file for this representation, as a response, if there is one."""
    try:
        handle = _path(validators).open("rb")
    except OSError:
        return None
    response = FileResponse(handle, content_type=content_type)
    response.block_size = BLOCK_BYTES
    return response


def keeping(
    chunks: Iterator[str | bytes], validators: ReadValidators
) -> Iterator[bytes]:
    """``chunks`` as UTF-8 bytes, also written to the file ``kept_export`` will
    find, once the last chunk is out."""
    final = _path(validators)
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=final.parent, suffix=".partial")
        out = os.fdopen(handle, "wb")
    except OSError as error:
        logger.warning("export not kept: %s", error)
        out = temporary = None
    complete = False
    try:
        for chunk in chunks:
            data = chunk.encode() if isinstance(chunk, str) else chunk
            if out is not None:
                try:
                    out.write(data)
                except OSError as error:  # a full disk: stop keeping, not serving
                    logger.warning("export not kept: %s", error)
                    out.close()
                    os.unlink(temporary)
                    out = None
            yield data
        complete = True
    finally:
        if out is not None:
            out.close()
            if complete:
                os.replace(temporary, final)
                _remove_older(final.parent, _prefix(validators))
            else:
                os.unlink(temporary)


def _remove_older(directory: Path, current_prefix: str) -> None:
    """Files of earlier data versions can never be served again; a partial file
    a day old was left by a process that died mid-download."""
    # Readers' and editors' files follow different versions: one scope's write
    # leaves the other's current file alone (a file named by no scope is older).
    scope = current_prefix.split(".", 1)[0]
    for path in directory.glob(f"*{SUFFIX}"):
        owner = path.name.split(".", 1)[0]
        if owner in SCOPES and owner != scope:
            continue
        if not path.name.startswith(current_prefix):
            path.unlink(missing_ok=True)
    day_ago = time.time() - 24 * 3600
    for path in directory.glob("*.partial"):
        try:
            if path.stat().st_mtime < day_ago:
                path.unlink()
        except OSError:
            continue
