"""Copy the project's shared reference data into the repository's ``data/``, with
a provenance note, all or nothing.

The repository holds everything it needs: the fixtures are built from ``data/``
(``build_fixtures``), never from a folder beside the checkout. This is how ``data/``
is refreshed from the shared reference folder, which holds ``data/`` (the CSVs and
their README) and ``seed/`` (the seed article and its README): every file of those
two folders is copied byte for byte, the first into ``data/``, the second into
``data/seed/``, and ``data/PROVENANCE.md`` records where each came from, when, its
size and its sha256 (``provenance_problems`` checks them again).

The new folder is written under a temporary name beside the old one and swapped in
by renaming, so a failure (a missing file, an unreadable one, a full disk) leaves the
old ``data/`` exactly as it was and no half-copied folder behind. Files whose names
start with a dot are not copied; a sub-folder is refused (the builder reads none).
"""

import datetime
import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import catalog
from .fixtures import ATTACKS_CSVS, SITES_CSV, TOTALS_CSV
from .records import ReferenceDataError

PROVENANCE = "PROVENANCE.md"
# Source folder -> where its files go inside data/.
FOLDERS = (("data", ""), ("seed", "seed"))
# What build_reference_fixtures reads: a copy without any of them is refused.
REQUIRED = (
    SITES_CSV,
    TOTALS_CSV,
    *ATTACKS_CSVS,
    f"seed/{catalog.SEED_ARTICLE['file']}",
)
_ROW = re.compile(r"^\| `([^`]+)` \| (\d+) \| `([0-9a-f]{64})` \| `([^`]*)` \|$")


@dataclass(frozen=True)
class CopiedFile:
    path: str  # inside data/, with "/"
    source: str  # the file it was copied from
    size: int
    sha256: str


def reference_data_copy(
    *, source: Path, target: Path, now: datetime.datetime | None = None
) -> list[CopiedFile]:
    """Replace ``target`` with a copy of ``source``'s ``data/`` and ``seed/``.

    Returns what was copied; raises ``ReferenceDataError`` for a source that is not
    the shared reference folder, ``OSError`` when reading or writing fails. Either
    way ``target`` is left as it was."""
    source = source.resolve()
    target = target.absolute()
    plan = _plan(source, target)
    now = now or datetime.datetime.now(datetime.UTC)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        _chmod_as_umask(staging)
        copied = [_copy(path, staging, relative) for path, relative in plan]
        text = provenance_text(copied, source=source, now=now)
        (staging / PROVENANCE).write_text(text, encoding="utf-8")
        _swap(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return copied


def _plan(source: Path, target: Path) -> list[tuple[Path, str]]:
    """(file to copy, its path inside data/), after checking the source's layout."""
    if not source.is_dir():
        raise ReferenceDataError(f"{source}: not a folder")
    if target.resolve() == source or source in target.resolve().parents:
        raise ReferenceDataError(f"{target}: is inside the source {source}")
    plan: list[tuple[Path, str]] = []
    for folder, inside in FOLDERS:
        directory = source / folder
        if not directory.is_dir():
            raise ReferenceDataError(
                f"{source}: no {folder}/ folder (expected the shared reference "
                "folder, with data/ and seed/)"
            )
        for path in sorted(directory.iterdir()):
            if path.name.startswith("."):
                continue
            relative = f"{inside}/{path.name}" if inside else path.name
            if not path.is_file():
                raise ReferenceDataError(f"{path}: not a regular file")
            if relative in (PROVENANCE, "seed"):
                raise ReferenceDataError(f"{path}: the name is taken by the copy")
            plan.append((path, relative))
    missing = sorted(set(REQUIRED) - {relative for _path, relative in plan})
    if missing:
        raise ReferenceDataError(
            f"{source}: missing {', '.join(missing)} (the fixtures are built from "
            "them); nothing was copied"
        )
    return plan


def _copy(path: Path, staging: Path, relative: str) -> CopiedFile:
    content = path.read_bytes()
    destination = staging / relative
    destination.parent.mkdir(exist_ok=True)
    destination.write_bytes(content)
    return CopiedFile(
        relative, str(path), len(content), hashlib.sha256(content).hexdigest()
    )


def _chmod_as_umask(directory: Path) -> None:
    """mkdtemp makes a private (0700) folder; data/ is an ordinary one."""
    umask = os.umask(0)
    os.umask(umask)
    directory.chmod(0o777 & ~umask)


def _swap(staging: Path, target: Path) -> None:
    """Put ``staging`` where ``target`` is: two renames, undone if the second fails."""
    if not target.exists():
        staging.rename(target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    old.rmdir()  # only the unused name is wanted
    target.rename(old)
    try:
        staging.rename(target)
    except BaseException:
        old.rename(target)
        raise
    shutil.rmtree(old)


def provenance_text(
    copied: list[CopiedFile], *, source: Path, now: datetime.datetime
) -> str:
    stamp = now.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    rows = "\n".join(
        f"| `{f.path}` | {f.size} | `{f.sha256}` | `{f.source}` |" for f in copied
    )
    return f"""# Where these files came from

Byte-for-byte copies of the project's shared reference folder (`{source}`): its
`data/` is this folder, its `seed/` is `seed/`. Copied on {stamp} by

    python manage.py import_reference_data --from {source}

which writes the copy under a temporary name and renames it into place, so a failed
copy changes nothing. Do not edit these files here: change them at the source and
copy again, so that this note stays true (a test checks every size and sha256
below). `fixtures/*.json` are built from them by `python manage.py build_fixtures`.

| file | bytes | sha256 | copied from |
| --- | --- | --- | --- |
{rows}
"""


def provenance_problems(target: Path) -> list[str]:
    """Where ``target`` no longer matches its ``PROVENANCE.md`` (empty: it does)."""
    path = target / PROVENANCE
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        return [f"{path}: cannot read ({exc.strerror})"]
    recorded = {}
    for line in lines:
        match = _ROW.match(line)
        if match:
            name, size, digest, _source = match.groups()
            recorded[name] = (int(size), digest)
    problems = []
    present = {
        p.relative_to(target).as_posix()
        for p in target.rglob("*")
        if p.is_file() and p.name != PROVENANCE and not p.name.startswith(".")
    }
    for name in sorted(present - set(recorded)):
        problems.append(f"{name}: not in {PROVENANCE}")
    for name, (size, digest) in sorted(recorded.items()):
        if name not in present:
            problems.append(f"{name}: listed in {PROVENANCE} but missing")
            continue
        content = (target / name).read_bytes()
        if (len(content), hashlib.sha256(content).hexdigest()) != (size, digest):
            problems.append(f"{name}: differs from the copy {PROVENANCE} records")
    return problems
