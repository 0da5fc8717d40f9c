"""The clusters' rollup (``ClusterCell``), filled from the incidents already here."""

from django.db import migrations, models


def fill(apps, schema_editor):
    # The live module's SQL, not a historical copy: it reads only columns that
    # exist since 0001 (status, occurred_on, longitude, latitude, id).
    from incidents.upkeep import rollup

    rollup.rebuild()


class Migration(migrations.Migration):
    dependencies = [("incidents", "0013_timeline_covering_index")]

    operations = [
        migrations.CreateModel(
            name="ClusterCell",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField(verbose_name="day")),
                ("cell_x", models.IntegerField(verbose_name="cell column")),
                ("cell_y", models.IntegerField(verbose_name="cell row")),
                ("members", models.PositiveIntegerField(verbose_name="members")),
                ("sum_longitude", models.FloatField(default=0, verbose_name="sum of longitudes")),
                ("sum_latitude", models.FloatField(default=0, verbose_name="sum of latitudes")),
                ("min_longitude", models.FloatField(null=True, verbose_name="westmost longitude")),
                ("min_latitude", models.FloatField(null=True, verbose_name="southmost latitude")),
                ("max_longitude", models.FloatField(null=True, verbose_name="eastmost longitude")),
                ("max_latitude", models.FloatField(null=True, verbose_name="northmost latitude")),
                ("first_id", models.BigIntegerField(verbose_name="smallest incident id")),
            ],
            options={
                "verbose_name": "cluster cell",
                "verbose_name_plural": "cluster cells",
                "constraints": [
                    models.UniqueConstraint(fields=("day", "cell_x", "cell_y"), name="cluster_cell_day_cell"),
                    models.CheckConstraint(
                        condition=models.Q(("cell_x__gte", -1), ("cell_y__gte", -1)),
                        name="cluster_cell_index_range",
                    ),
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
