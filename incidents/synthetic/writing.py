"""Inserting synthetic incidents: plain tuples and ``executemany`` (``COPY`` on
PostgreSQL), one transaction per chunk.

``bulk_create`` spent most of its time preparing each value of each row in Python
(``pre_save``, ``get_db_prep_save`` through several layers per field). Here each
table's ``INSERT`` is built once from the model's own metadata (``_Table``), values
the driver takes as they are (text, numbers, ids) are passed as they are, dates and
times go through the field's own ``get_db_prep_save`` once per distinct value, and
every field the generator does not draw gets, once per chunk, exactly what the ORM
gives an unsaved instance: its default, or "now" for ``auto_now``/``auto_now_add``.

The related rows need the new incidents' ids before they exist, so each chunk
reserves them first (``_reserve_ids``), in its own transaction:

- *PostgreSQL*: ``nextval`` on the id column's own sequence, once per row. A
  sequence never gives a value twice, whoever else is inserting.
- *SQLite*: the tables are ``AUTOINCREMENT``, whose high-water mark is the
  ``sqlite_sequence`` row: one ``UPDATE ... RETURNING`` raises it by the chunk's
  size (past ``max(id)`` too, to be safe) and returns the new mark. It is a write,
  so it holds SQLite's single write lock until the chunk commits (from ``BEGIN``
  already under the project's ``IMMEDIATE`` transactions): no other writer can
  insert between the reservation and our rows, and the ORM's own inserts then
  continue above the mark. A deleted incident's id is never reused, as with the ORM.
"""

import gc
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from operator import itemgetter

from django.db import connection, models

from .. import upkeep
from ..models import Citation, Incident, Involvement
from .drawing import INCIDENT_FIELDS, _Generator
from .marking import synthetic_incidents
from .tables import EXTERNAL_ID_PREFIX

DEFAULT_CHUNK = 10_000
SQLITE_CACHE_KIB = 64 * 1024
# Internal types whose values the database drivers take as the generator draws
# them (str, int, float, None): ``get_db_prep_save`` would return them unchanged.
_AS_IS = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
        "FloatField",
        "CharField",
        "TextField",
    }
)
# Callable defaults whose every call gives an equal value; any other (``uuid4``)
# would need a call per row, which ``_Table`` refuses rather than get wrong.
_SHARED_DEFAULTS = (dict, list, tuple, str, int, float, bool)


class SyntheticSeedInUse(RuntimeError):
    """Rows for this seed exist already; their external ids would collide."""


@dataclass(frozen=True)
class GenerateResult:
    seed: int
    incidents: int
    site_links: int
    involvements: int
    citations: int
    sources_created: int
    seconds: float

    @property
    def rows(self) -> int:
        return self.incidents + self.site_links + self.involvements + self.citations

    @property
    def incidents_per_second(self) -> float:
        return self.incidents / self.seconds if self.seconds else 0.0


def _as_is(field: models.Field) -> bool:
    target = field.target_field if field.is_relation else field
    return target.get_internal_type() in _AS_IS


def _memoised_prep(field: models.Field):
    """``field.get_db_prep_save`` once per distinct value (dates: a few hundred)."""
    prepared: dict = {}

    def prep(value):
        try:
            return prepared[value]
        except KeyError:
            result = prepared[value] = field.get_db_prep_save(value, connection)
            return result

    return prep


class _Table:
    """``INSERT`` of rows of ``model`` given as tuples of the ``given`` attnames'
    values (the primary key only if given); every other concrete field gets what
    the ORM's insert would give it, computed once per ``insert`` call."""

    def __init__(self, model: type[models.Model], given: Sequence[str]):
        self.model = model
        fields = [
            f
            for f in model._meta.concrete_fields
            if f.attname in given or not f.primary_key
        ]
        unknown = set(given) - {f.attname for f in fields}
        if unknown:
            raise ValueError(f"{model.__name__} has no concrete field {unknown}")
        self.rest = [f for f in fields if f.attname not in given]
        for f in self.rest:
            if (
                f.has_default()
                and callable(f.default)
                and f.default not in _SHARED_DEFAULTS
            ):
                raise NotImplementedError(
                    f"{model.__name__}.{f.name} needs a default per row; draw it"
                )
        position = {name: i for i, name in enumerate(given)}
        # Each column's place in ``given + rest``.
        order, rest_index = [], len(given)
        for f in fields:
            if f.attname in position:
                order.append(position[f.attname])
            else:
                order.append(rest_index)
                rest_index += 1
        self.in_order = order == list(range(len(order)))
        self.arrange = itemgetter(*order)
        self.preps = [
            (position[f.attname], _memoised_prep(f))
            for f in fields
            if f.attname in position and not _as_is(f)
        ]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        # Only names from the model's metadata, quoted: no outside text in the SQL.
        table = quote(model._meta.db_table)
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
        self.copy_sql = f"COPY {table} ({columns}) FROM STDIN"

    def _rest_values(self) -> tuple:
        """The ORM's values for the fields not given: ``pre_save`` on one unsaved
        instance (defaults; "now" for ``auto_now``), then ``get_db_prep_save``."""
        instance = self.model()
        return tuple(
            f.get_db_prep_save(f.pre_save(instance, True), connection)
            for f in self.rest
        )

    def insert(self, values: Iterable[tuple]) -> int:
        rest = self._rest_values()
        arrange, in_order, preps = self.arrange, self.in_order, self.preps
        if preps:
            rows = []
            for given in values:
                row = list(given)
                for i, prep in preps:
                    if row[i] is not None:
                        row[i] = prep(row[i])
                row += rest
                rows.append(tuple(row) if in_order else arrange(row))
        elif in_order:
            rows = [given + rest for given in values] if rest else list(values)
        else:
            rows = [arrange(given + rest) for given in values]
        if not rows:
            return 0
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # One INSERT per row costs PostgreSQL a parse each (Django binds
                # on the client); COPY streams the rows, typed by psycopg's own
                # adapters as for an INSERT.
                with connection.wrap_database_errors:
                    with cursor.cursor.copy(self.copy_sql) as copy:
                        for row in rows:
                            copy.write_row(row)
            else:
                cursor.executemany(self.sql, rows)
        return len(rows)


def _reserve_ids(model: type[models.Model], count: int) -> Sequence[int]:
    """``count`` new primary keys for ``model``, nobody else's (see the module);
    call inside the transaction that inserts them."""
    table = model._meta.db_table
    pk = model._meta.pk.column
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                "FROM generate_series(1, %s)",
                [quote(table), pk, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        if connection.vendor != "sqlite":
            raise NotImplementedError(
                "synthetic data needs SQLite or PostgreSQL to reserve ids"
            )
        cursor.execute(
            "INSERT INTO sqlite_sequence (name, seq) SELECT %s, 0 "
            "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = %s)",
            [table, table],
        )
        cursor.execute(
            # Names from the model's metadata only, quoted.
            f"UPDATE sqlite_sequence SET seq = max(seq, "  # noqa: S608
            f"(SELECT coalesce(max({quote(pk)}), 0) FROM {quote(table)})) + %s "
            "WHERE name = %s RETURNING seq",
            [count, table],
        )
        last = cursor.fetchone()[0]
    return range(last - count + 1, last + 1)


class _SqlChunks:
    """Writes drawn chunks through ``_Table`` (the default path)."""

    def __init__(self):
        self.incidents = _Table(Incident, ("id", *INCIDENT_FIELDS))
        self.links = _Table(Incident.sites.through, ("incident_id", "site_id"))
        self.involvements = _Table(Involvement, ("incident_id", "actor_id", "role"))
        self.citations = _Table(
            Citation, ("incident_id", "source_id", "stance", "quote")
        )

    def write(self, drawn: list) -> tuple[Sequence[int], tuple[int, int, int]]:
        """Insert a chunk: the new incidents' ids, and the links, involvements
        and citations written."""
        ids = _reserve_ids(Incident, len(drawn))
        self.incidents.insert(
            (pk, *values) for pk, (values, _s, _a, _c) in zip(ids, drawn, strict=True)
        )
        links, involvements, citations = [], [], []
        for pk, (_values, site_ids, actors, sources) in zip(ids, drawn, strict=True):
            for site_id in site_ids:
                links.append((pk, site_id))
            for actor_id, role in actors:
                involvements.append((pk, actor_id, role))
            for source_id, stance, quote in sources:
                citations.append((pk, source_id, stance, quote))
        return ids, (
            self.links.insert(links),
            self.involvements.insert(involvements),
            self.citations.insert(citations),
        )


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a chunk is drawn and written: its
    hundred thousand new tuples would trigger collections that traverse every
    object the process holds, for nothing (the rows hold no cycles). A fifth of
    the time, measured."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def generate_synthetic(
    *, count: int, seed: int = 0, chunk_size: int = DEFAULT_CHUNK, writer=None
) -> GenerateResult:
    """Insert ``count`` synthetic incidents with their relations; see the package.

    Raises ``ReferenceDataMissing`` without placed sites, and ``SyntheticSeedInUse``
    when this seed's rows exist already (remove them, or use another seed).
    ``writer`` replaces the insert path with another object that has the same
    ``write(drawn)``: the old ``bulk_create`` path (``bench/synthetic_reference``),
    the benchmark's reference and the tests' oracle. It runs as that path did, with
    the garbage collector on and SQLite's default page cache.
    """
    if count < 0:
        raise ValueError("count must be zero or more")
    started = time.perf_counter()
    prefix = f"{EXTERNAL_ID_PREFIX}{seed}-"
    if synthetic_incidents().filter(external_id__startswith=prefix).exists():
        raise SyntheticSeedInUse(
            f"synthetic incidents for seed {seed} exist already; remove them "
            "(generate_incidents --remove) or use another --seed"
        )
    with upkeep.bulk_write() as write:
        generator = _Generator(seed=seed)
        if generator.sources_created:
            write.changed()
    fast = writer is None
    with _sqlite_cache(SQLITE_CACHE_KIB if fast else None):
        totals = _write_chunks(
            generator, count, chunk_size, writer or _SqlChunks(), fast
        )
    return GenerateResult(
        seed=seed,
        incidents=count,
        site_links=totals[0],
        involvements=totals[1],
        citations=totals[2],
        sources_created=generator.sources_created,
        seconds=time.perf_counter() - started,
    )


@contextmanager
def _sqlite_cache(kib: int | None) -> Iterator[None]:
    """A bigger SQLite page cache for this connection while it writes: a chunk
    dirties far more than the default 2 MB, and the random-order indexes
    (``occurred_on``, ``status``) would otherwise be spilled and read back."""
    if kib is None or connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _write_chunks(generator, count: int, chunk_size: int, writer, fast: bool):
    totals = [0, 0, 0]
    for first in range(0, count, chunk_size):
        # The old path ran with the collector on; the reference keeps it so.
        with _gc_paused() if fast else nullcontext():
            # Drawn before the transaction, so the write lock is held only to write.
            drawn = [
                generator.incident(n)
                for n in range(first + 1, min(first + chunk_size, count) + 1)
            ]
            with upkeep.bulk_write() as write:
                ids, written = writer.write(drawn)
                write.added(ids)
        totals = [a + b for a, b in zip(totals, written, strict=True)]
    return totals
