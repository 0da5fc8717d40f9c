"""Sites and actors of the reference data are marked, so readers see only them and
those a published incident names (issue 21).

The slugs are those of fixtures/sites.json and actors.json when the field came
in, written out here so the migration means the same whatever the fixtures
become; a database loaded from them has these rows, and any other row stays
unmarked (shown to readers once a published incident names it).
"""

from django.db import migrations, models

REFERENCE_SITES = (
    "ain-al-asad", "al-bukamal", "al-malikiyah", "al-mayadin", "al-omar",
    "al-tanf", "baghdad-airport-vbc", "conoco", "deir-ez-zor", "erbil-air-base",
    "harir", "hasakah", "hemo", "kharab-al-jir", "khirbat-adana", "lafarge",
    "mss-euphrates", "qasrak", "rmelan", "rukban", "shaddadi", "tal-baydar",
    "tal-tamr", "tower-22", "union-iii", "us-embassy-baghdad",
)  # fmt: skip
REFERENCE_ACTORS = (
    "irgc", "islamic-resistance-in-iraq", "kataib-hezbollah",
    "kataib-sayyid-al-shuhada", "popular-mobilization-forces", "sdf",
    "syrian-general-intelligence", "syrian-republican-guard",
    "tashkil-al-waritheen", "unidentified-iraqi-armed-group", "us-forces",
    "us-government", "us-led-coalition",
)  # fmt: skip


def mark_reference_rows(apps, schema_editor):
    # Plain update(): no history rows, no signals; nothing readers see changes,
    # since every one of these was shown until now.
    apps.get_model("incidents", "Site").objects.filter(slug__in=REFERENCE_SITES).update(
        reference=True
    )
    apps.get_model("incidents", "Actor").objects.filter(
        slug__in=REFERENCE_ACTORS
    ).update(reference=True)


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0021_public_data_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="actor",
            name="reference",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="Loaded from the project's reference data: shown to readers even before a published incident names it.",
                verbose_name="reference data",
            ),
        ),
        migrations.AddField(
            model_name="historicalactor",
            name="reference",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="Loaded from the project's reference data: shown to readers even before a published incident names it.",
                verbose_name="reference data",
            ),
        ),
        migrations.AddField(
            model_name="historicalsite",
            name="reference",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="Loaded from the project's reference data: shown to readers even before a published incident names it.",
                verbose_name="reference gazetteer",
            ),
        ),
        migrations.AddField(
            model_name="site",
            name="reference",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="Loaded from the project's reference data: shown to readers even before a published incident names it.",
                verbose_name="reference gazetteer",
            ),
        ),
        migrations.RunPython(mark_reference_rows, migrations.RunPython.noop),
    ]
