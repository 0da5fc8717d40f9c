"""How fresh the published data is: one row whose version goes up, in the same
transaction, with every change a reader could see.

HTTP caching (ETag, Last-Modified, 304) and the cached aggregates key on this
version instead of on the rows themselves: reading one row by primary key costs
the same at a million incidents as at sixty, where ``MAX(updated_at)`` or a count
would not, and a deleted row leaves no ``updated_at`` behind to compare. Bumping
it is ``incidents.upkeep.freshness.data_changed()``.

Two versions live in the row: ``version`` goes up with every change (what editors'
validators use, since they see drafts), ``public_version`` only with a change to
what anonymous readers can see (published incidents, tombstones, the rows they
show). Keying readers' ETags on the first would let anyone time unpublished work.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

SINGLETON = 1


class DataVersion(models.Model):
    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON)
    version = models.BigIntegerField(_("version"), default=0)
    changed_at = models.DateTimeField(_("changed at"))
    public_version = models.BigIntegerField(_("public version"), default=0)
    public_changed_at = models.DateTimeField(_("public changed at"), null=True)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(id=SINGLETON), name="data_version_single_row"
            )
        ]

    def __str__(self) -> str:
        return (
            f"v{self.version} ({self.changed_at:%Y-%m-%d %H:%M:%S}), "
            f"public v{self.public_version}"
        )
