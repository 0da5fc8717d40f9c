"""The two roles, as groups: Editor (create and edit drafts, submit them for review)
and Reviewer (everything an editor does, plus publish and retract). Neither may
delete: deleting is a superuser's act, and everyone else retracts."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITED = ["incident", "site", "actor", "source", "citation", "involvement"]
EDITOR = [f"{verb}_{model}" for model in EDITED for verb in ("view", "add", "change")]
EDITOR += ["view_geocodeanswer", "view_officialtotal"]
REVIEWER = [*EDITOR, "publish_incident"]


def make_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make them now so a
    # fresh database gets complete groups.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Editor", EDITOR), ("Reviewer", REVIEWER)):
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="incidents", codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"permissions missing for {name}: {sorted(missing)}")
        group.permissions.set(permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Editor", "Reviewer"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("incidents", "0008_history_and_retraction"),
    ]

    operations = [migrations.RunPython(make_groups, remove_groups)]
