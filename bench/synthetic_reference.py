"""The synthetic data's old insert path, ``bulk_create`` per table, kept only as a
reference: the benchmark (``bench/generate.py``) times it against
``incidents.synthetic.writing``, and the tests check that both store the same rows.
``generate_synthetic(writer=OrmChunks())`` uses it. The product never imports it.

It is the code that ran before ``writing`` replaced it, model instances built
through ``Model.__init__``'s positional fast path included, so the benchmark's
ratio is against the old path at its best.
"""

from incidents.models import Citation, Incident, Involvement
from incidents.synthetic.drawing import INCIDENT_FIELDS


class _Rows:
    """Builds unsaved model instances through ``Model.__init__``'s positional fast
    path: less than half the cost of keyword arguments. Fields not given get their
    default, as with keyword arguments; a callable default (``default=dict``) is
    called per row, since one shared value would be a bug."""

    def __init__(self, model):
        fields = model._meta.concrete_fields
        self.model = model
        self.fields = [(f.attname, f.get_default()) for f in fields]
        self.per_row = {
            f.attname: f.default
            for f in fields
            if f.has_default() and callable(f.default)
        }

    def __call__(self, **values):
        for name, make in self.per_row.items():
            if name not in values:
                values[name] = make()
        return self.model(*[values.get(name, default) for name, default in self.fields])


class OrmChunks:
    """Writes drawn chunks with ``bulk_create`` (needs ids back from the insert:
    SQLite 3.35+ or PostgreSQL)."""

    def __init__(self):
        self.through = Incident.sites.through
        self.new_incident = _Rows(Incident)
        self.new_link = _Rows(self.through)
        self.new_involvement = _Rows(Involvement)
        self.new_citation = _Rows(Citation)

    def write(self, drawn: list) -> tuple[list[int], tuple[int, int, int]]:
        """Insert a chunk: the new incidents' ids, and the links, involvements
        and citations written."""
        incidents = Incident.objects.bulk_create(
            [
                self.new_incident(**dict(zip(INCIDENT_FIELDS, d[0], strict=True)))
                for d in drawn
            ]
        )
        if incidents and incidents[0].pk is None:
            raise NotImplementedError(
                "the ORM path needs a database that returns ids from bulk inserts"
            )
        links, involvements, citations = [], [], []
        for incident, (_values, site_ids, actors, sources) in zip(
            incidents, drawn, strict=True
        ):
            pk = incident.pk
            links += [self.new_link(incident_id=pk, site_id=s) for s in site_ids]
            involvements += [
                self.new_involvement(incident_id=pk, actor_id=a, role=role)
                for a, role in actors
            ]
            citations += [
                self.new_citation(
                    incident_id=pk, source_id=s, stance=stance, quote=quote
                )
                for s, stance, quote in sources
            ]
        self.through.objects.bulk_create(links)
        Involvement.objects.bulk_create(involvements)
        Citation.objects.bulk_create(citations)
        ids = [incident.pk for incident in incidents]
        return ids, (len(links), len(involvements), len(citations))
