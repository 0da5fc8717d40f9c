"""Grading a geocoder against a corpus of spellings with their expected site.

The corpus (``tests/data/geocode/spellings.csv``: spelling, expected slug or
"none", kind) holds names as outlets write them and the gazetteer does not list:
Kurdish and Persian script, Arabic-Indic digits, diacritics, transliteration
variants, descriptive forms, and places elsewhere that must match nothing.
``grade`` counts each answer as right (the expected site, or no site where none
was expected), wrong (another site, or a site where none was expected) or none (no
answer where a site was expected): precision is "wrong", recall is "none". The
test suite and ``bench/geocode.py`` both grade with it.
"""

import csv
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

NO_SITE = "none"


@dataclass(frozen=True)
class Spelling:
    spelling: str
    expected: str  # a site slug, or NO_SITE
    kind: str


@dataclass
class Grades:
    right: int = 0
    wrong: int = 0
    none: int = 0
    by_kind: dict[str, Counter] = field(default_factory=dict)
    misses: list[tuple[Spelling, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.right + self.wrong + self.none

    @property
    def right_share(self) -> float:
        return self.right / self.total if self.total else 0.0


def load_spellings(path: Path) -> list[Spelling]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Spelling(row["spelling"], row["expected"], row["kind"])
            for row in csv.DictReader(handle)
        ]


def grade(answer: Callable[[str], str | None], spellings: Iterable[Spelling]) -> Grades:
    """Grade ``answer`` (a spelling -> the slug it names, or None) on ``spellings``."""
    grades = Grades()
    for item in spellings:
        got = answer(item.spelling) or NO_SITE
        if got == item.expected:
            verdict = "right"
        elif got == NO_SITE:
            verdict = "none"
        else:
            verdict = "wrong"
        setattr(grades, verdict, getattr(grades, verdict) + 1)
        grades.by_kind.setdefault(item.kind, Counter())[verdict] += 1
        if verdict != "right":
            grades.misses.append((item, got))
    return grades
