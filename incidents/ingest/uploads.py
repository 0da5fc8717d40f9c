"""Files an editor uploaded for a preview, kept until the import is confirmed.

The admin's ACLED import is two requests: the upload shows a dry run, and a
confirm imports exactly that file. Between them the file waits here under a random
token only the uploading session knows. Each file is written to a temporary name
and renamed when complete (a cut-off upload never looks like a whole file), and
nothing is kept for ever:

- confirmed: the file is deleted as soon as it has been imported (or refused);
- replaced: a new upload from the same session deletes the previews it had;
- abandoned: any preview older than ``BASEWATCH_UPLOAD_TTL_HOURS`` (default 24) is
  deleted by the next upload or confirm from anyone, and by ``sweep_uploads``
  (a command to run from cron on a server where nobody uploads for days).
"""

import datetime
import os
import re
import secrets
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

SUFFIX = ".csv"
PART = ".part"
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def upload_dir() -> Path:
    configured = getattr(settings, "BASEWATCH_UPLOAD_DIR", "")
    path = (
        Path(configured)
        if configured
        else Path(tempfile.gettempdir()) / "basewatch-uploads"
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


def max_age() -> datetime.timedelta:
    hours = float(getattr(settings, "BASEWATCH_UPLOAD_TTL_HOURS", 24))
    return datetime.timedelta(hours=hours)


def path_for(token: str) -> Path | None:
    """The waiting file of ``token``, or None for a token that is not one of ours
    (so a crafted token can never name a path outside the directory)."""
    if not _TOKEN.match(token or ""):
        return None
    return upload_dir() / f"{token}{SUFFIX}"


def store(chunks: Iterable[bytes]) -> tuple[str, Path]:
    """Write an upload under a new token; returns the token and the file."""
    sweep()
    token = secrets.token_hex(16)
    final = upload_dir() / f"{token}{SUFFIX}"
    partial = final.with_name(final.name + PART)
    try:
        with partial.open("wb") as out:
            for chunk in chunks:
                out.write(chunk)
        os.replace(partial, final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return token, final


def discard(tokens: Iterable[str]) -> None:
    """Delete the waiting files of ``tokens`` (confirmed, refused or replaced)."""
    for token in tokens:
        path = path_for(token)
        if path is not None:
            path.unlink(missing_ok=True)


def sweep(*, now: float | None = None) -> int:
    """Delete every preview (and cut-off part) older than :func:`max_age`;
    returns how many files went."""
    cutoff = (time.time() if now is None else now) - max_age().total_seconds()
    removed = 0
    for path in upload_dir().iterdir():
        if not path.name.endswith((SUFFIX, SUFFIX + PART)):
            continue
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # another process swept it first
            continue
    return removed
