"""What an ACLED import did, or would do: counts, site links, and every problem.

The report is the whole answer of ``import_acled``: bad file content never raises,
it lands here, so the admin page, the API and the command show the same thing.

Problem messages are written in the language active while the file is read (the
admin's and the API's request language, so Arabic for an Arabic editor; the
command's is the site default, English); columns, line numbers and values quoted
from the file stay as they are. The summary lines are the command's, in English.
"""

from dataclasses import dataclass, field

from incidents.models import Incident

from .columns import AcledError

# A country file may skip tens of thousands of rows: the text summary lists the
# first ones, ``as_dict`` (``--json``) every one.
SKIPPED_LISTED = 200


def _status(value: str) -> str:
    return str(Incident.Status(value).label)


@dataclass
class AcledReport:
    """``linked`` and ``unlinked`` cover the rows that are (or would be) written:
    created or updated ones; an unchanged row is not looked at again."""

    dry_run: bool = False
    rows: int = 0
    errors: list[AcledError] = field(default_factory=list)
    file_error: str | None = None
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # (line, event_id_cnty, site slug, "name" or "nearest (x.x km)")
    linked: list[tuple[int, str, str, str]] = field(default_factory=list)
    # (line, event_id_cnty, ACLED's location as written)
    unlinked: list[tuple[int, str, str]] = field(default_factory=list)
    # New events attached to the one incident on record they report:
    # (line, event_id_cnty, incident id, how they matched)
    matched: list[tuple[int, str, int, str]] = field(default_factory=list)
    # New events created but proposed for a merge: (line, event_id_cnty,
    # [candidate as dict: incident, strength, score, how, status])
    flagged: list[tuple[int, str, list[dict]]] = field(default_factory=list)
    # Rows that would change an incident the user may not change:
    # (line, event_id_cnty, incident id, its status). Each is also an error.
    needs_reviewer: list[tuple[int, str, int, str]] = field(default_factory=list)
    actors_created: list[str] = field(default_factory=list)
    sources_created: list[str] = field(default_factory=list)
    # Valid rows that look wrong (``plausibility``): (line, event_id_cnty, what)
    warnings: list[tuple[int, str, str]] = field(default_factory=list)
    # New rows not taken, about no tracked site (``relevance``): (line,
    # event_id_cnty, why). Empty when the import takes every row.
    skipped: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def needs_reviewer_labelled(self) -> list[tuple[int, str, int, str]]:
        """``needs_reviewer`` with each status in the reader's language."""
        return [
            (line, event_id, pk, _status(status))
            for line, event_id, pk, status in self.needs_reviewer
        ]

    @property
    def flagged_labelled(self) -> list[tuple[int, str, list[dict]]]:
        """``flagged`` with each candidate's ``status_label``."""
        return [
            (line, event_id, [{**c, "status_label": _status(c["status"])} for c in cs])
            for line, event_id, cs in self.flagged
        ]

    @property
    def ok(self) -> bool:
        return self.file_error is None and not self.errors

    def forget_changes(self) -> None:
        """Nothing was written after all (the file failed in the second pass)."""
        self.created = self.updated = self.unchanged = 0
        self.linked, self.unlinked, self.skipped = [], [], []
        self.matched, self.flagged = [], []
        self.actors_created, self.sources_created = [], []

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "file_error": self.file_error,
            "errors": [error.as_dict() for error in self.errors],
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": [
                {"line": line, "event_id": event_id, "why": why}
                for line, event_id, why in self.skipped
            ],
            "linked": [
                {"line": line, "event_id": event_id, "site": slug, "how": how}
                for line, event_id, slug, how in self.linked
            ],
            "unlinked": [
                {"line": line, "event_id": event_id, "location": location}
                for line, event_id, location in self.unlinked
            ],
            "matched": [
                {"line": line, "event_id": event_id, "incident": pk, "how": how}
                for line, event_id, pk, how in self.matched
            ],
            "flagged": [
                {"line": line, "event_id": event_id, "candidates": candidates}
                for line, event_id, candidates in self.flagged
            ],
            "needs_reviewer": [
                {"line": line, "event_id": event_id, "incident": pk, "status": status}
                for line, event_id, pk, status in self.needs_reviewer
            ],
            "actors_created": self.actors_created,
            "sources_created": self.sources_created,
            "warnings": [
                {"line": line, "event_id": event_id, "message": message}
                for line, event_id, message in self.warnings
            ],
        }

    def summary_lines(self) -> list[str]:
        """Human-readable lines: the counts, then every problem or unlinked row."""
        if self.file_error:
            return [f"file error: {self.file_error}"]
        if self.errors:
            return [
                f"{len(self.errors)} problem(s) in {self.rows} row(s); "
                "nothing was imported:",
                *(str(error) for error in self.errors),
            ]
        verb = "would be" if self.dry_run else "were"
        lines = [
            f"{self.rows} row(s): {self.created} created, {self.updated} updated, "
            f"{len(self.matched)} matched to incidents on record, "
            f"{self.unchanged} unchanged, {len(self.skipped)} skipped as not about "
            f"a tracked site ({'dry run' if self.dry_run else 'saved'})",
            f"{len(self.linked)} linked to a site, {len(self.unlinked)} unlinked",
        ]
        lines += [
            f"line {line}: {event_id}: a new report of incident #{pk} ({how})"
            for line, event_id, pk, how in self.matched
        ]
        lines += [
            f"line {line}: {event_id}: created, and proposed for a merge with "
            + ", ".join(f"#{c['incident']} ({c['how']})" for c in candidates)
            for line, event_id, candidates in self.flagged
        ]
        if self.actors_created:
            lines.append(f"new actors {verb} created: {', '.join(self.actors_created)}")
        if self.sources_created:
            lines.append(
                f"new sources {verb} created: {', '.join(self.sources_created)}"
            )
        lines += [
            f"line {line}: {event_id}: no site fits {location!r}"
            for line, event_id, location in self.unlinked
        ]
        lines += [
            f"line {line}: {event_id}: warning: {message}"
            for line, event_id, message in self.warnings
        ]
        lines += [
            f"line {line}: {event_id}: skipped, {why}"
            for line, event_id, why in self.skipped[:SKIPPED_LISTED]
        ]
        if len(self.skipped) > SKIPPED_LISTED:
            lines.append(
                f"... and {len(self.skipped) - SKIPPED_LISTED} more skipped "
                "(--json lists every one; --all takes them)"
            )
        return lines
