"""Recompute every stored ``search_text`` after ``normalize_name`` learned to fold
Kurdish and Persian letters, Arabic-Indic and Persian digits, and more Latin
letters (issue 18): rows folded the old way would not be found by a query folded
the new way ("البرج ٢٢" for "البرج 22").

Computed with the models' own functions (historical models have no ``save()``),
read in primary-key batches and written only where the text changed, so a large
database is neither loaded into memory at once nor rewritten in full. Reversing
it is a no-op: the old folding is gone with the old code.
"""

from django.db import migrations

BATCH = 2000


def _refold(model, fields, compute):
    last = 0
    while True:
        rows = list(
            model.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("pk", "search_text", *fields)[:BATCH]
        )
        if not rows:
            return
        last = rows[-1].pk
        changed = []
        for row in rows:
            text = compute(row)
            if text != row.search_text:
                row.search_text = text
                changed.append(row)
        model.objects.bulk_update(changed, ["search_text"], batch_size=500)


def refold(apps, schema_editor):
    from incidents.models import build_search_text, incident_search_text

    def named(row):
        return build_search_text(row.slug, row.name, row.name_ar, aliases=row.aliases)

    for model_name in ("Site", "Actor"):
        _refold(
            apps.get_model("incidents", model_name),
            ("slug", "name", "name_ar", "aliases"),
            named,
        )
    _refold(
        apps.get_model("incidents", "Incident"),
        ("summary", "damage", "external_id"),
        lambda row: incident_search_text(row.summary, row.damage, row.external_id),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0018_actor_kinds_unarmed"),
    ]

    operations = [
        migrations.RunPython(refold, migrations.RunPython.noop, elidable=True),
    ]
