"""Published incidents counted per day and per grid cell: the rollup the map's
clusters are read from when a request filters by box and dates only.

A row is one (day, cell) of the clusters' grid at ``incidents.upkeep.rollup.BASE_ZOOM``,
with what the clusters need to merge cells exactly: the count, the coordinate sums
(for the mean point), the members' extent and the smallest member id. Incidents
without a point are counted per day in the cell (-1, -1), since no real cell index is
negative. It is derived data, rebuilt from the incidents whenever asked
(``incidents.upkeep.rollup``), so backups leave it out and it has no foreign key:
``first_id`` is a plain number, not a reference that would need cascades.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

UNPLACED_CELL = -1


class ClusterCell(models.Model):
    day = models.DateField(_("day"))
    cell_x = models.IntegerField(_("cell column"))
    cell_y = models.IntegerField(_("cell row"))
    members = models.PositiveIntegerField(_("members"))
    sum_longitude = models.FloatField(_("sum of longitudes"), default=0)
    sum_latitude = models.FloatField(_("sum of latitudes"), default=0)
    min_longitude = models.FloatField(_("westmost longitude"), null=True)
    min_latitude = models.FloatField(_("southmost latitude"), null=True)
    max_longitude = models.FloatField(_("eastmost longitude"), null=True)
    max_latitude = models.FloatField(_("northmost latitude"), null=True)
    first_id = models.BigIntegerField(_("smallest incident id"))

    class Meta:
        verbose_name = _("cluster cell")
        verbose_name_plural = _("cluster cells")
        constraints = [
            # Also the index a day range and the per-day refresh read.
            models.UniqueConstraint(
                fields=["day", "cell_x", "cell_y"], name="cluster_cell_day_cell"
            ),
            models.CheckConstraint(
                condition=models.Q(cell_x__gte=UNPLACED_CELL)
                & models.Q(cell_y__gte=UNPLACED_CELL),
                name="cluster_cell_index_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} ({self.cell_x}, {self.cell_y}): {self.members}"
