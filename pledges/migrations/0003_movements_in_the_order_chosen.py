import django.db.models.deletion
import simple_history.models
from django.db import migrations, models


def number_in_the_order_added(apps, schema_editor):
    PledgeMovement = apps.get_model("pledges", "PledgeMovement")
    position, last_pledge = 0, None
    for link in PledgeMovement.objects.order_by("pledge_id", "pk"):
        position = position + 1 if link.pledge_id == last_pledge else 0
        last_pledge = link.pledge_id
        PledgeMovement.objects.filter(pk=link.pk).update(order=position)


class Migration(migrations.Migration):
    """The pledge's movements get a position: the existing link table becomes an explicit
    through model with an ``order`` column (rows and their history are kept; existing
    links are numbered in the order they were added)."""

    dependencies = [
        ("pledges", "0002_titles_point_to_base_catalogue"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PledgeMovement",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("movement", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="pledges.movement")),
                        ("pledge", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="pledges.pledge")),
                    ],
                    options={
                        "db_table": "pledges_pledge_movements",
                        "ordering": ["order", "pk"],
                    },
                ),
                migrations.AlterField(
                    model_name="pledge",
                    name="movements",
                    field=models.ManyToManyField(blank=True, related_name="pledges", through="pledges.PledgeMovement", to="pledges.movement", verbose_name="emulation movements"),
                ),
                migrations.DeleteModel(name="HistoricalPledge_movements"),
                migrations.CreateModel(
                    name="HistoricalPledgeMovement",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("m2m_history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history", models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to="pledges.historicalpledge")),
                        ("movement", models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="pledges.movement")),
                        ("pledge", models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="pledges.pledge")),
                    ],
                    options={
                        "verbose_name": "HistoricalPledgeMovement",
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'ALTER TABLE "pledges_historicalpledge_movements" RENAME TO "pledges_historicalpledgemovement"',
                    'ALTER TABLE "pledges_historicalpledgemovement" RENAME TO "pledges_historicalpledge_movements"',
                ),
            ],
        ),
        migrations.AddField(
            model_name="pledgemovement",
            name="order",
            field=models.PositiveIntegerField(default=0, verbose_name="order"),
        ),
        migrations.AddField(
            model_name="historicalpledgemovement",
            name="order",
            field=models.PositiveIntegerField(default=0, verbose_name="order"),
        ),
        migrations.RunPython(number_in_the_order_added, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="pledgemovement",
            constraint=models.UniqueConstraint(fields=("pledge", "movement"), name="pledge_movement_once_per_pledge"),
        ),
    ]
