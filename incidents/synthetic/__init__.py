"""Synthetic incidents for benchmarks: realistic in shape, fast to insert, removable.

Real data is a few hundred rows; the API must stay fast at a hundred thousand. These
rows look like the real ones where it matters for performance and for the map:

- *space*: clustered around the placed reference sites, each site drawn in proportion
  to how often it was really attacked, with a Gaussian scatter of a few km scaled by
  the site's ``precision_m``; a few incidents concern two neighbouring sites, and a
  few concern a site nobody has placed (so they have no point, as real ones may);
- *time*: bursty, between 17 October 2023 and 31 December 2025: a long first wave
  (October 2023 to early February 2024, as happened) and random shorter waves of
  days with many attacks over a low background;
- *content*: mixed event types, weapons, date precisions, times of day, actors
  (from the existing ``Actor`` rows) and roles, casualties reported, reported as none
  or not reported (null), English and Arabic text, mostly published with some drafts,
  rows in review and retractions;
- *sources*: citations to a small fixed pool of synthetic sources of every kind with
  stances that fit the kind, so the derived confidence varies like the real one.

Every synthetic row is marked so that ``remove_synthetic`` can delete exactly those:
incidents have an ``external_id`` starting with ``SYN-`` (``SYN-<seed>-<n>``), and
synthetic sources a URL under ``https://synthetic.invalid/`` (a reserved top-level
domain: the links can never point at a real page). Summaries start with
``[synthetic]`` so that nobody mistakes one for a real event on a map.

The same ``seed`` over the same reference data gives the same rows. Inserting is one
transaction per chunk of 10,000 incidents (so other writers can get in between
chunks, and memory stays flat), each its own ``upkeep.bulk_write`` so API caches
know. The rows go in as plain tuples through ``executemany``, with ids reserved per
chunk (``writing`` says how, and why that is safe with other writers), not through
``bulk_create``, whose per-value preparation in Python held it to 2,000-6,000
incidents per second. On the 2-core benchmark machine that is about 25,000
incidents (with their ~3.7 related rows each, 120,000 rows) per second into SQLite,
4.5 times the old path, and more than half of it is SQLite's own index work; see
``bench/README.md`` (``bench/generate.py``).

The modules: ``tables`` (what an incident looks like: weights and words),
``drawing`` (the reference data and the generator), ``writing`` (inserting),
``marking`` (which rows are synthetic, and removal), ``reference`` (the old
``bulk_create`` path, for the benchmark and the tests only).
"""

from .drawing import INCIDENT_FIELDS, ReferenceDataMissing
from .marking import (
    RemoveResult,
    remove_synthetic,
    synthetic_incidents,
    synthetic_sources,
)
from .tables import (
    EXTERNAL_ID_PREFIX,
    FIRST_DAY,
    FIRST_WAVE_END,
    LAST_DAY,
    NO_WEAPON,
    SOURCE_URL_PREFIX,
    SUMMARY_PREFIX,
)
from .writing import (
    DEFAULT_CHUNK,
    GenerateResult,
    SyntheticSeedInUse,
    generate_synthetic,
)

__all__ = [
    "DEFAULT_CHUNK",
    "EXTERNAL_ID_PREFIX",
    "FIRST_DAY",
    "FIRST_WAVE_END",
    "INCIDENT_FIELDS",
    "LAST_DAY",
    "NO_WEAPON",
    "SOURCE_URL_PREFIX",
    "SUMMARY_PREFIX",
    "GenerateResult",
    "ReferenceDataMissing",
    "RemoveResult",
    "SyntheticSeedInUse",
    "generate_synthetic",
    "remove_synthetic",
    "synthetic_incidents",
    "synthetic_sources",
]
