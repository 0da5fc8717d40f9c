"""History rows for what an ACLED import writes in bulk.

The import inserts with ``executemany`` (``writes``), which sends no signals, so
django-simple-history would record nothing. Here each batch's history is written
the same way, from the rows as stored (read back once per batch, so the record is
what the database holds, defaults included): one record per incident created
(``+``) or updated (``~``: an event updated, or a report attached to it) with
its site links, and one per citation and involvement the batch added (those with
a primary key past the ``marks`` taken before it wrote them), all with the
importing user, the import's time and the reason "ACLED import". The citations
and involvements an update removes are deleted through the ORM, whose signals
already record their removal.
"""

import datetime

from django.db.models import Model

from incidents.models import Citation, Incident, Involvement
from incidents.upkeep.visibility import HIDDEN

from .writes import TableWriter

REASON = "ACLED import"


def _tracked(model: type[Model]) -> list[str]:
    return [field.attname for field in model.history.model.tracked_fields]


class ImportHistory:
    def __init__(self, *, user_id: int | None, when: datetime.datetime):
        self.stamp = {
            "history_date": when,
            "history_user_id": user_id,
            "history_change_reason": REASON,
        }
        self.when = when
        # Whether any incident written is one readers see (not a draft or in
        # review): only then does the import move the public data version.
        self.public = False
        self.incident_fields = _tracked(Incident)
        self.incidents = TableWriter(Incident.history.model)
        history_model = Incident.history.model
        links = history_model._meta.get_field("historicalincident_sites")
        self.site_links = TableWriter(links.related_model)
        self.related = [
            (model, _tracked(model), TableWriter(model.history.model))
            for model in (Citation, Involvement)
        ]

    def marks(self) -> dict:
        """The last citation and involvement ids before a batch adds its own."""
        return {
            model: model.objects.order_by("-pk").values_list("pk", flat=True).first()
            or 0
            for model, _fields, _writer in self.related
        }

    def record(self, *, created: list[int], updated: list[int], marks: dict) -> None:
        """Write the history of one batch, after all its rows are written."""
        pks = created + updated
        if not pks:
            return
        new = set(created)
        rows = (
            Incident.objects.filter(pk__in=pks).order_by().values(*self.incident_fields)
        )
        self.public = self.public or (
            Incident.objects.filter(pk__in=pks).exclude(status__in=HIDDEN).exists()
        )
        self.incidents.insert(
            {**row, **self.stamp, "history_type": "+" if row["id"] in new else "~"}
            for row in rows
        )
        records = dict(
            Incident.history.filter(id__in=pks, history_date=self.when)
            .order_by()
            .values_list("id", "history_id")
        )
        links = Incident.sites.through.objects.filter(incident_id__in=pks).order_by()
        self.site_links.insert(
            {
                "id": link,
                "history_id": records[incident],
                "incident_id": incident,
                "site_id": site,
            }
            for link, incident, site in links.values_list(
                "pk", "incident_id", "site_id"
            )
        )
        for model, fields, writer in self.related:
            added = model.objects.filter(
                incident_id__in=pks, pk__gt=marks[model]
            ).order_by()
            writer.insert(
                {**row, **self.stamp, "history_type": "+"}
                for row in added.values(*fields)
            )
