"""Reading an ACLED file: bytes to (line number, cells), one row at a time, and
the importer's two passes over it (``validate_file``, then ``valid_rows``).

The file is decoded as UTF-8 with an optional BOM while it streams, so a file that
is not UTF-8 is found wherever its first bad byte is, and reported as a file error
rather than raised. Line numbers are physical lines (header = 1): a row's number is
the line it *starts* on, one after the line ``csv.reader`` ended the previous row
on, so a quoted cell running over several lines does not shift the count.
"""

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _

from .columns import AcledError, AcledRow, HeaderMap, parse_row
from .report import AcledReport

AcledSource = str | Path | BinaryIO


class FileProblem(Exception):
    """The file as a whole cannot be read (not UTF-8, empty, no header...)."""


@contextmanager
def open_text(source: AcledSource) -> Iterator[io.TextIOWrapper]:
    """The file as text from its start; a caller's file object is rewound and left
    open, so the importer can read it twice."""
    if isinstance(source, str | Path):
        try:
            binary = open(source, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise FileProblem(
                _("cannot open %(path)s: %(reason)s")
                % {"path": source, "reason": exc.strerror}
            ) from exc
        owned = True
    else:
        binary, owned = source, False
        try:
            binary.seek(0)
        except (AttributeError, OSError) as exc:
            raise FileProblem(
                _("the file cannot be read twice (not seekable)")
            ) from exc
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
    try:
        yield text
    finally:
        if owned:
            text.close()
        else:
            text.detach()  # do not close the caller's file


def read_rows(text: io.TextIOWrapper) -> tuple[HeaderMap, Iterator[tuple[int, list]]]:
    """The header, and the rows after it with the line each starts on.

    Blank lines are skipped. Raises ``FileProblem`` for an empty file, a missing
    header, bytes that are not UTF-8 or CSV the csv module cannot split.
    """
    reader = csv.reader(text)
    try:
        header = next(reader, None)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise _problem(exc, 1) from exc
    if header is None:
        raise FileProblem(_("the file is empty"))
    if not any(cell.strip() for cell in header):
        raise FileProblem(_("no header: line 1 must name the columns"))

    def rows() -> Iterator[tuple[int, list]]:
        previous_end = reader.line_num
        while True:
            try:
                values = next(reader, None)
            except (UnicodeDecodeError, csv.Error) as exc:
                raise _problem(exc, previous_end + 1) from exc
            if values is None:
                return
            start, previous_end = previous_end + 1, reader.line_num
            if values:
                yield start, values

    return HeaderMap(header), rows()


def _problem(exc: Exception, line: int) -> FileProblem:
    if isinstance(exc, UnicodeDecodeError):
        return FileProblem(
            _(
                "the file is not UTF-8 text (undecodable bytes at or after line"
                " %(line)d); save it as UTF-8"
            )
            % {"line": line}
        )
    return FileProblem(
        _("line %(line)d: not readable as CSV (%(error)s)")
        % {"line": line, "error": exc}
    )


def validate_file(source: AcledSource, report: AcledReport) -> None:
    """Pass 1: every error, with its line; nothing but the ids is kept."""
    first_line: dict[str, int] = {}
    with open_text(source) as text:
        header, rows = read_rows(text)
        report.errors.extend(header.errors)
        if header.errors:
            return  # without the columns no row can be read
        for line, values in rows:
            report.rows += 1
            parsed = parse_row(values, line, header)
            if isinstance(parsed, list):
                report.errors.extend(parsed)
                continue
            seen = first_line.setdefault(parsed.event_id, line)
            if seen != line:
                report.errors.append(
                    AcledError(
                        line,
                        "event_id_cnty",
                        _("%(event_id)r repeats line %(line)d")
                        % {"event_id": parsed.event_id, "line": seen},
                    )
                )


def valid_rows(source: AcledSource) -> Iterator[AcledRow]:
    """Pass 2: the rows again, all valid (pass 1 said so)."""
    with open_text(source) as text:
        header, rows = read_rows(text)
        for line, values in rows:
            parsed = parse_row(values, line, header)
            if isinstance(parsed, list):  # the file changed since pass 1
                raise FileProblem(
                    _("line %(line)d changed while it was being imported")
                    % {"line": line}
                )
            yield parsed
