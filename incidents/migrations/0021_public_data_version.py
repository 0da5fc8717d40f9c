"""The public data version beside the one of everything (``DataVersion``): readers'
validators key on it, so a draft's edit no longer moves them. It starts where the
whole version is, as if every change so far had been public."""

from django.db import migrations, models
from django.db.models import F


def start_at_the_whole_version(apps, schema_editor):
    DataVersion = apps.get_model("incidents", "DataVersion")
    DataVersion.objects.update(
        public_version=F("version"), public_changed_at=F("changed_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0020_research_tags_to_citation_notes"),
    ]

    operations = [
        migrations.AddField(
            model_name="dataversion",
            name="public_version",
            field=models.BigIntegerField(default=0, verbose_name="public version"),
        ),
        migrations.AddField(
            model_name="dataversion",
            name="public_changed_at",
            field=models.DateTimeField(null=True, verbose_name="public changed at"),
        ),
        migrations.RunPython(start_at_the_whole_version, migrations.RunPython.noop),
    ]
