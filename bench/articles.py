"""Benchmark: how well ``extract_article`` reads the measured article corpus.

Run from the project root: ``.venv/bin/python bench/articles.py [--verbose]
[--json]`` (or ``make bench-articles``). See ``bench/README.md`` for recorded
results and ``tests/data/articles/corpus/README.md`` for how the keys were written.

Each text in ``tests/data/articles/corpus/`` is read with
``extract_article(text, published=key["published"])`` and its proposals are
compared with the key written before the extractor ever read it:

- **attacks recall / precision**: a proposal whose event type is attack or
  interception matches a key attack when their dates are equal (both unknown
  counts as equal; within three days when either is week-precise, which is what
  a week-precise date means) and their site sets intersect, or are both empty;
  one to one.
- over matched attacks: **claimant right** (the proposal's ``claimed_by`` set is
  the key's), **perpetrator invented** (the proposal names a perpetrator the key
  lacks; a count, must be 0), **casualties right** (injured and killed both equal,
  None and 0 told apart), **weapon right**;
- **drafts after reference** (any proposal dated after the text's reference date;
  a count, must be 0), and, when the extraction says which reference date it
  used, **reference date right** over the texts that have one.

Every figure is given overall and per rule tag (a text counts under each rule it
is tagged with). ``--verbose`` lists every miss. The scoring is importable
(``load_corpus``, ``score_case``, ``summarize``):
``tests/ingest/article/test_corpus.py`` holds the extractor to the issue's
thresholds with it.

The extractor reads sites and actors from the database, so the run migrates a
throwaway in-memory SQLite database and loads only ``fixtures/sites.json`` and
``fixtures/actors.json`` (no incidents: reading an article reads none).
"""

import argparse
import datetime as dt
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

# Its sibling modules import as top-level ones, whether this runs as a script or
# is loaded by file path (tests/ingest/article/test_corpus.py).
sys.path.insert(0, str(Path(__file__).resolve().parent))

from article_pairing import (  # noqa: E402
    Draft,
    _key_attack_text,
    draft_of,
    pair,
)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "articles" / "corpus"
RULES = (
    "dates",
    "events",
    "roles",
    "sites",
    "casualties",
    "weapon",
    "script",
    "one_per_site_day",
)
ATTACK_TYPES = {"attack", "interception"}
# (name, numerator, denominator) of each ratio in the table, in its order.
RATIOS = (
    ("attacks recall", "matched", "expected"),
    ("attacks precision", "matched", "proposed"),
    ("claimant right", "claimant_right", "matched"),
    ("casualties right", "casualties_right", "matched"),
    ("weapon right", "weapon_right", "matched"),
    ("reference date right", "reference_right", "reference_known"),
)
COUNTS = (
    ("perpetrator invented", "perpetrator_invented"),
    ("drafts after reference", "after_reference"),
)


@dataclass
class Case:
    """One text of the corpus and its answer key (the parsed ``<id>.json``)."""

    id: str
    text: str
    key: dict

    @property
    def published(self) -> dt.date | None:
        value = self.key.get("published")
        return dt.date.fromisoformat(value) if value else None

    @property
    def reference_date(self) -> str | None:
        return self.key.get("reference_date")


@dataclass
class CaseScore:
    """Tallies for one text, and its misses in words."""

    id: str
    rules: list[str]
    tally: dict[str, int] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)


def load_corpus(directory: Path = CORPUS) -> list[Case]:
    """Every ``<id>.txt`` with its ``<id>.json``, in order of id."""
    cases = []
    for key_path in sorted(directory.glob("*.json")):
        key = json.loads(key_path.read_text(encoding="utf-8"))
        text = key_path.with_suffix(".txt").read_text(encoding="utf-8")
        cases.append(Case(key_path.stem, text, key))
    return cases


def score_case(case: Case, extraction) -> CaseScore:
    """Compare one extraction (an ``ArticleExtraction``) with the case's key."""
    score = CaseScore(case.id, list(case.key["rules"]))
    all_drafts = [draft_of(p) for p in extraction.proposals]
    drafts = [d for d in all_drafts if d.event_type in ATTACK_TYPES]
    attacks = case.key["attacks"]
    pairs = pair(attacks, drafts)
    tally = dict.fromkeys(
        [name for _, name, _ in RATIOS] + [name for _, _, name in RATIOS], 0
    )
    tally.update(dict.fromkeys([name for _, name in COUNTS], 0))
    tally.update(expected=len(attacks), proposed=len(drafts), matched=len(pairs))
    for a, d in pairs:
        _score_pair(attacks[a], drafts[d], tally, score.misses)
    paired_attacks = {a for a, _ in pairs}
    paired_drafts = {d for _, d in pairs}
    for a, attack in enumerate(attacks):
        if a not in paired_attacks:
            score.misses.append(f"missed: {_key_attack_text(attack)}")
    for d, draft in enumerate(drafts):
        if d not in paired_drafts:
            score.misses.append(f"extra: {draft.describe()}")
    _score_dates(case, extraction, all_drafts, tally, score.misses)
    score.tally = tally
    return score


def _score_pair(attack: dict, draft: Draft, tally: dict, misses: list) -> None:
    where = _key_attack_text(attack)
    claimed = draft.roles.get("claimed_by", frozenset())
    if claimed == set(attack["claimed_by"]):
        tally["claimant_right"] += 1
    else:
        misses.append(
            f"claimant of {where}: expected {sorted(attack['claimed_by'])}, "
            f"came {sorted(claimed)}"
        )
    invented = draft.roles.get("perpetrator", frozenset()) - set(attack["perpetrator"])
    if invented:
        tally["perpetrator_invented"] += 1
        misses.append(f"perpetrator invented for {where}: {sorted(invented)}")
    expected = (attack["injured"], attack["killed"])
    came = (draft.injured, draft.killed)
    if expected == came:
        tally["casualties_right"] += 1
    else:
        misses.append(
            f"casualties of {where}: expected injured/killed {_pair(expected)}, "
            f"came {_pair(came)}"
        )
    if draft.weapon == attack["weapon"]:
        tally["weapon_right"] += 1
    else:
        misses.append(
            f"weapon of {where}: expected {attack['weapon']}, came {draft.weapon}"
        )


def _pair(values: tuple) -> str:
    return "/".join("none said" if v is None else str(v) for v in values)


def _score_dates(case: Case, extraction, drafts: list[Draft], tally, misses) -> None:
    reference = case.reference_date
    if reference:
        for draft in drafts:
            if draft.date and draft.date > reference:
                tally["after_reference"] += 1
                misses.append(
                    f"dated after the reference {reference}: {draft.describe()}"
                )
    # Only once the extractor says which reference date it used.
    if not hasattr(extraction, "reference_date"):
        return
    used = extraction.reference_date
    if isinstance(used, dt.date):
        used = used.isoformat()
    tally["reference_known"] += 1
    if (used or None) == reference:
        tally["reference_right"] += 1
    else:
        misses.append(f"reference date: expected {reference}, came {used}")


def summarize(scores: list[CaseScore]) -> dict[str, dict]:
    """Tallies added up: ``{"overall": {...}, "<rule>": {...}}``, each with the
    raw counts and, per ratio, ``{"right": n, "of": m, "ratio": n/m or None}``."""
    groups = {"overall": scores}
    for rule in RULES:
        groups[rule] = [s for s in scores if rule in s.rules]
    summary = {}
    for name, members in groups.items():
        totals: dict[str, int] = {}
        for score in members:
            for counter, value in score.tally.items():
                totals[counter] = totals.get(counter, 0) + value
        entry: dict = {"texts": len(members)}
        for label, right, of in RATIOS:
            n, m = totals.get(right, 0), totals.get(of, 0)
            entry[label] = {"right": n, "of": m, "ratio": n / m if m else None}
        for label, counter in COUNTS:
            entry[label] = totals.get(counter, 0)
        summary[name] = entry
    return summary


def run_corpus(cases: list[Case], *, anchor: bool = False) -> list[CaseScore]:
    """Extract every case (Django set up, sites and actors loaded) and score it.

    ``anchor`` passes the key's reference date as the publication date where the
    key gives none: a diagnostic that takes dating out of the other figures, never
    the measure itself (an editor does not know the answer key).
    """
    from incidents.ingest.article import extract_article

    scores = []
    for case in cases:
        published = case.published
        if anchor and published is None and case.reference_date:
            published = dt.date.fromisoformat(case.reference_date)
        scores.append(score_case(case, extract_article(case.text, published=published)))
    return scores


# --- the command ----------------------------------------------------------------


def setup_django() -> None:
    """An in-memory SQLite database holding only the reference sites and actors."""
    from _common import configure  # bench/ is on sys.path (above)

    configure("sqlite://:memory:")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    fixtures = ROOT / "fixtures"
    call_command(
        "loaddata",
        str(fixtures / "sites.json"),
        str(fixtures / "actors.json"),
        verbosity=0,
    )


def table(summary: dict[str, dict]) -> str:
    """One row overall and one per rule, the metrics across, as a Markdown table."""
    labels = [label for label, _, _ in RATIOS] + [label for label, _ in COUNTS]
    lines = [
        "| texts | " + " | ".join(labels) + " |",
        "| --- |" + " ---: |" * len(labels),
    ]
    for group, entry in summary.items():
        cells = [_ratio(entry[label]) for label, _, _ in RATIOS]
        cells += [str(entry[label]) for label, _ in COUNTS]
        lines.append(f"| {group} ({entry['texts']}) | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _ratio(cell: dict) -> str:
    if cell["ratio"] is None:
        return "n/a"
    return f"{cell['ratio']:.2f} ({cell['right']}/{cell['of']})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument(
        "--anchor",
        action="store_true",
        help="diagnostic: pass the key's reference date as --published where the "
        "key gives none",
    )
    args = parser.parse_args(argv)
    setup_django()
    cases = load_corpus()
    scores = run_corpus(cases, anchor=args.anchor)
    summary = summarize(scores)
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        arabic = sum(c.key["language"] == "ar" for c in cases)
        how = " (--anchor: reference dates given as --published)" if args.anchor else ""
        print(
            f"{len(cases)} texts ({arabic} Arabic), {CORPUS.relative_to(ROOT)}{how}\n"
        )
        print(table(summary))
    if args.verbose:
        print()
        for score in scores:
            for miss in score.misses:
                print(f"{score.id}: {miss}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
