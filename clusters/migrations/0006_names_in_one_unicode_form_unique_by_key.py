"""Names in one Unicode form, and unique whatever their case and form.

Every stored text of the base registers is brought to NFC without invisible characters
(``core.text.normalize_text``), units and clusters get ``name_key``
(``core.text.name_key``), and the unique rules move from the name to the key.

Rows that the new rules would make duplicates (a cluster named in NFD next to the same
name in NFC, "CỤM 1" next to "Cụm 1", two units in force with one name) are not renamed
behind anyone's back: the migration stops, changes nothing, and names them, so that staff
rename (or, for units, end) one of each pair and migrate again.
"""

from collections import defaultdict

from django.db import migrations, models

from core.text import name_key, normalize_text

# The texts normalised, per model of the base registers.
TEXTS = {
    "organizingbody": ("name", "short_name", "place"),
    "unit": ("name", "short_name", "code", "note"),
    "cluster": ("name", "description"),
    "person": ("full_name", "position"),
    "awardtype": ("name", "short_name", "decided_by", "criteria", "legal_basis"),
    "role": ("position",),
    "unitsuccession": ("legal_basis",),
    "clusteryear": ("note",),
}
KEYED = ("unit", "cluster")


def _unique_groups(apps):
    """What must stay unique once normalised: (what, rows, the key two rows share)."""
    OrganizingBody = apps.get_model("clusters", "OrganizingBody")
    Unit = apps.get_model("clusters", "Unit")
    Cluster = apps.get_model("clusters", "Cluster")
    AwardType = apps.get_model("clusters", "AwardType")
    in_body = lambda row: (row.body_id, name_key(row.name))  # noqa: E731 (used twice)
    return [
        ("organizing body", OrganizingBody.objects.all(), lambda row: normalize_text(row.name)),
        ("cluster", Cluster.objects.all(), in_body),
        ("unit in force (no end date)", Unit.objects.filter(active_to__isnull=True), in_body),
        (
            "award type",
            AwardType.objects.all(),
            lambda row: (row.body_id, normalize_text(row.name)),
        ),
    ]


def refuse_duplicates(apps) -> None:
    problems = []
    for what, rows, key in _unique_groups(apps):
        groups = defaultdict(list)
        for row in rows.order_by("pk"):
            groups[key(row)].append(row)
        for same in groups.values():
            if len(same) > 1:
                problems.append(f"- {what}: " + ", ".join(f"#{r.pk} “{r.name}”" for r in same))
    if problems:
        raise RuntimeError(
            "These names are one name once case and Unicode form are ignored, and must be "
            "unique. Rename (or, for units, end) all but one of each group, then migrate "
            "again:\n" + "\n".join(problems)
        )


def normalize_texts(apps, schema_editor=None):
    refuse_duplicates(apps)
    for model_name, fields in TEXTS.items():
        model = apps.get_model("clusters", model_name)
        for row in model.objects.only("pk", *fields).order_by("pk"):
            changes = {}
            for name in fields:
                value = getattr(row, name)
                if isinstance(value, str) and normalize_text(value) != value:
                    changes[name] = normalize_text(value)
            if model_name in KEYED:
                changes["name_key"] = name_key(row.name)
            if changes:
                model.objects.filter(pk=row.pk).update(**changes)


class Migration(migrations.Migration):
    dependencies = [
        ("clusters", "0005_award_type_catalogue_moves_to_base"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="cluster",
            name="cluster_name_unique_in_body",
        ),
        migrations.AddField(
            model_name="cluster",
            name="name_key",
            field=models.CharField(default="", editable=False, max_length=800),
        ),
        migrations.AddField(
            model_name="historicalcluster",
            name="name_key",
            field=models.CharField(default="", editable=False, max_length=800),
        ),
        migrations.AddField(
            model_name="historicalunit",
            name="name_key",
            field=models.CharField(default="", editable=False, max_length=800),
        ),
        migrations.AddField(
            model_name="unit",
            name="name_key",
            field=models.CharField(default="", editable=False, max_length=800),
        ),
        migrations.RunPython(normalize_texts, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="cluster",
            constraint=models.UniqueConstraint(
                fields=("body", "name_key"),
                name="cluster_name_unique_in_body",
                violation_error_message="This body already has a cluster with this name.",
            ),
        ),
        migrations.AddConstraint(
            model_name="unit",
            constraint=models.UniqueConstraint(
                condition=models.Q(("active_to__isnull", True)),
                fields=("body", "name_key"),
                name="unit_name_unique_in_body_while_in_force",
                violation_error_message=(
                    "This register already has a unit in force with this name."
                ),
            ),
        ),
    ]
